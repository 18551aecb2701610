import type { Db } from '../../db/database.ts';
import { sha256Hex } from '../../lib/crypto.ts';
import { TtlCache } from '../../lib/ttl-cache.ts';
import { customerTokenState } from '../../modules/customer-auth/queries.ts';
import { readCustomerToken } from '../../modules/customer-auth/tokens.ts';
import { ApiError, errors } from '../errors.ts';
import type {
  BusinessPrincipal,
  CustomerPrincipal,
  OAuthTokenPrincipal,
  PagePrincipal,
  StorefrontPrincipal,
} from './principal.ts';
import * as q from './queries.ts';

const API_KEY_SHAPE = /^(sk|rk)_[A-Za-z0-9]{64}$/;
const PUBLIC_KEY_SHAPE = /^[a-z]{2,6}_[A-Za-z0-9]{16,128}$/;
const OAUTH_TOKEN_SHAPE = /^[A-Za-z0-9._~+/-]{16,512}$/;

const invalidApiKey = () => errors.unauthorized('Invalid API key');

/**
 * Resolves every credential kind to a principal. Lookups are cached for a few seconds
 * (`cacheSeconds`) so hot keys cost no database round trip; changes made through this process
 * invalidate at once, other instances see them within the cache lifetime.
 */
export class Credentials {
  private readonly apiKeys: TtlCache<string, q.ApiKeyRecord>;
  private readonly storefrontKeys: TtlCache<string, q.StorefrontKeyRecord>;
  private readonly pageKeys: TtlCache<string, q.PageKeyRecord>;
  private readonly origins: TtlCache<number, ReadonlySet<string>>;
  private readonly stores: TtlCache<string, { id: number; business_id: number }>;
  private readonly touched = new Map<number, number>();

  constructor(
    private readonly db: Db,
    cacheSeconds: number,
    private readonly customerJwtKey: Buffer,
    /** The server's own origin: its hosted pages may always call the storefront API. */
    private readonly ownOrigin: string,
    private readonly onBackgroundError: (err: unknown) => void,
  ) {
    const ttl = cacheSeconds * 1000;
    this.apiKeys = new TtlCache(ttl);
    this.storefrontKeys = new TtlCache(ttl);
    this.pageKeys = new TtlCache(ttl);
    this.origins = new TtlCache(ttl);
    this.stores = new TtlCache(ttl);
  }

  async apiKey(token: string): Promise<BusinessPrincipal> {
    if (!API_KEY_SHAPE.test(token)) throw invalidApiKey();
    const hash = sha256Hex(token);
    const record = await this.apiKeys.getOrLoad(
      hash,
      () => q.findApiKeyByHash(this.db, hash) as Promise<q.ApiKeyRecord>,
    );
    if (!record) throw invalidApiKey();
    if (record.revoked_at) throw errors.unauthorized('API key has been revoked');
    if (record.expires_at && record.expires_at.getTime() <= Date.now())
      throw errors.unauthorized('API key has expired');
    if (!record.business_active) throw errors.forbidden('This business is deactivated');
    this.touch(record.id);
    return {
      via: 'apiKey',
      businessId: record.business_id,
      businessUniqueId: record.business_unique_id,
      userId: record.created_by_user_id,
      scopes: record.kind === 'secret' ? 'all' : new Set(record.scopes),
      apiKey: { id: record.id, name: record.name, kind: record.kind, expiresAt: record.expires_at },
      rateKey: `key:${record.id}`,
    };
  }

  /** Drops a cached key after it was revoked or changed here. */
  forgetApiKey(tokenHash: string): void {
    this.apiKeys.delete(tokenHash);
  }

  forgetAllApiKeys(): void {
    this.apiKeys.clear();
  }

  async oauthToken(token: string): Promise<OAuthTokenPrincipal> {
    if (!OAUTH_TOKEN_SHAPE.test(token)) throw errors.unauthorized('Invalid access token');
    const record = await q.findOAuthTokenByHash(this.db, sha256Hex(token));
    if (!record || record.revoked_at || record.family_revoked_at || !record.application_active)
      throw errors.unauthorized('Invalid access token');
    if (record.expires_at.getTime() <= Date.now()) throw errors.unauthorized('Access token has expired');
    return {
      tokenId: record.id,
      applicationId: record.application_id,
      userId: record.user_id,
      familyId: record.family_id,
      installationIds: record.installation_ids.map(Number),
      scopes: record.scopes,
    };
  }

  connectedInstallations(token: OAuthTokenPrincipal): Promise<q.InstallationRecord[]> {
    return q.listConnectedInstallations(this.db, token.applicationId, token.userId, token.installationIds);
  }

  /**
   * Picks the business an OAuth call acts on: `b_uid` when given, the only connected business
   * otherwise. Scopes are what both the token and the installation grant.
   */
  async oauthBusiness(
    token: OAuthTokenPrincipal,
    businessUniqueId: string | undefined,
  ): Promise<BusinessPrincipal> {
    const installations = await this.connectedInstallations(token);
    let installation: q.InstallationRecord | undefined;
    if (businessUniqueId) {
      installation = installations.find((i) => i.business_unique_id === businessUniqueId);
      if (!installation) {
        const exists = await q.businessExists(this.db, businessUniqueId);
        if (!exists) throw new ApiError(404, 'business_not_found', 'Business not found');
        throw new ApiError(403, 'business_access_denied', 'This token is not connected to that business');
      }
    } else if (installations.length === 1) {
      installation = installations[0];
    } else if (installations.length === 0) {
      throw new ApiError(403, 'business_access_denied', 'This token has no connected business');
    } else {
      throw new ApiError(
        400,
        'business_selection_required',
        'This token is connected to several businesses; pass b_uid to choose one',
        { b_uid: ['is required'] },
      );
    }
    const chosen = installation as q.InstallationRecord;
    const granted = new Set(chosen.scopes);
    return {
      via: 'oauth',
      businessId: chosen.business_id,
      businessUniqueId: chosen.business_unique_id,
      userId: token.userId,
      scopes: new Set(token.scopes.filter((scope) => granted.has(scope))),
      oauth: { tokenId: token.tokenId, applicationId: token.applicationId, installationId: chosen.id },
      rateKey: `oauth:${chosen.id}`,
    };
  }

  /** An unknown store, an unknown key and another store's key all look the same. */
  async storefront(token: string | undefined, storeUniqueId: string): Promise<StorefrontPrincipal> {
    if (!token || !PUBLIC_KEY_SHAPE.test(token)) throw errors.storeNotFound();
    const record = await this.storefrontKeys.getOrLoad(
      token,
      () => q.findStorefrontKey(this.db, token) as Promise<q.StorefrontKeyRecord>,
    );
    if (!record || record.store_unique_id !== storeUniqueId) throw errors.storeNotFound();
    return {
      storeId: record.store_id,
      storeUniqueId: record.store_unique_id,
      businessId: record.business_id,
      keyId: record.id,
    };
  }

  forgetStorefrontKey(token: string): void {
    this.storefrontKeys.delete(token);
  }

  async page(token: string | undefined, pageUniqueId: string): Promise<PagePrincipal> {
    const notFound = () => errors.notFound('Page not found');
    if (!token || !PUBLIC_KEY_SHAPE.test(token)) throw notFound();
    const record = await this.pageKeys.getOrLoad(
      token,
      () => q.findPageKey(this.db, token) as Promise<q.PageKeyRecord>,
    );
    if (!record || record.page_unique_id !== pageUniqueId) throw notFound();
    return {
      pageId: record.page_id,
      pageUniqueId: record.page_unique_id,
      storeId: record.store_id,
      businessId: record.business_id,
      keyId: record.id,
    };
  }

  async store(uniqueId: string): Promise<{ id: number; business_id: number } | undefined> {
    return this.stores.getOrLoad(
      uniqueId,
      () => q.findActiveStoreByUniqueId(this.db, uniqueId) as Promise<{ id: number; business_id: number }>,
    );
  }

  /** Browser origins allowed to call a store's storefront API. */
  async isOriginAllowed(storeId: number, origin: string): Promise<boolean> {
    if (origin === this.ownOrigin) return true;
    const allowed = await this.origins.getOrLoad(
      storeId,
      async () => new Set(await q.listActiveOrigins(this.db, storeId)),
    );
    return allowed.has(origin);
  }

  forgetOrigins(storeId: number): void {
    this.origins.delete(storeId);
  }

  /**
   * Customer access JWTs are bound to one store, and die early when blacklisted (`jti`), when their
   * session (refresh family) is revoked, when the customer changed their password after the token
   * was issued, or when the customer is no longer active. Checked on every request (one indexed read).
   */
  async customer(token: string, storeUniqueId: string): Promise<CustomerPrincipal> {
    const invalid = () => errors.unauthorized('Invalid or expired customer token');
    const claims = readCustomerToken(this.customerJwtKey, token);
    if (claims?.typ !== 'access') throw invalid();
    const store = await this.store(storeUniqueId);
    if (!store || claims.storeId !== store.id) throw invalid();
    const state = await customerTokenState(this.db, claims);
    if (
      !state ||
      state.business_id !== store.business_id ||
      state.status !== 'active' ||
      state.stale ||
      state.revoked ||
      state.family_revoked
    ) {
      throw invalid();
    }
    return {
      customerId: claims.customerId,
      storeId: store.id,
      tokenId: claims.jti,
      expiresAt: claims.expiresAt,
    };
  }

  private touch(apiKeyId: number): void {
    const now = Date.now();
    if ((this.touched.get(apiKeyId) ?? 0) > now - 60_000) return;
    this.touched.set(apiKeyId, now);
    q.touchApiKey(this.db, apiKeyId).catch(this.onBackgroundError);
  }
}
