/**
 * Who is calling, as resolved by the one auth hook from the credential kinds a route declares.
 * A route that declares a kind can rely on its part being present: the hook answers 401/404
 * before the handler runs otherwise.
 */
export type CredentialKind =
  | 'apiKey'
  | 'oauth'
  | 'customer'
  | 'oauthApp'
  | 'storefrontKey'
  | 'pageKey'
  | 'guestToken'
  | 'public';

/** A business API key or an OAuth installation acting on one selected business. */
export interface BusinessPrincipal {
  via: 'apiKey' | 'oauth';
  businessId: number;
  businessUniqueId: string;
  /** The member the credential acts for: the key's creator or the OAuth-authorizing user. */
  userId: number | null;
  /** `all` for secret keys; otherwise exactly the granted scopes. */
  scopes: ReadonlySet<string> | 'all';
  apiKey?: { id: number; name: string; kind: 'secret' | 'restricted'; expiresAt: Date | null };
  oauth?: { tokenId: number; applicationId: number; installationId: number };
  /** Rate-limit bucket: one per API key or OAuth installation. */
  rateKey: string;
}

/** An OAuth access token before business selection (user-level OAuth routes). */
export interface OAuthTokenPrincipal {
  tokenId: number;
  applicationId: number;
  userId: number;
  /** The authorization the token descends from; revoking it ends every token it issued. */
  familyId: number;
  /** The installations that authorization connected. */
  installationIds: readonly number[];
  scopes: readonly string[];
}

export interface StorefrontPrincipal {
  storeId: number;
  storeUniqueId: string;
  businessId: number;
  keyId: string;
}

export interface PagePrincipal {
  pageId: number;
  pageUniqueId: string;
  storeId: number | null;
  businessId: number;
  keyId: string;
}

export interface CustomerPrincipal {
  customerId: number;
  storeId: number;
  tokenId: string;
  expiresAt: Date;
}

export interface RequestAuth {
  business?: BusinessPrincipal;
  oauthToken?: OAuthTokenPrincipal;
  storefront?: StorefrontPrincipal;
  page?: PagePrincipal;
  customer?: CustomerPrincipal;
  /** The X-Scalev-Guest-Token UUID when sent on a route that accepts guest tokens. */
  guestToken?: string;
}

export function hasScope(principal: BusinessPrincipal, scope: string): boolean {
  return principal.scopes === 'all' || principal.scopes.has(scope);
}
