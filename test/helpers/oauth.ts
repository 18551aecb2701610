import { sha256Hex } from '../../src/lib/crypto.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { TestContext } from './app.ts';

export interface OAuthGrant {
  businessId: number;
  scopes: string[];
  status?: 'active' | 'revoked';
}

/**
 * An application, its installations and an access token straight in the tables, for route tests
 * that need a token without the authorize dance (test/modules/oauth runs the real one). A business
 * call is granted the scopes both the token and the installation hold; the user must be a member of
 * each business for it to stay connected.
 */
export async function issueOAuthToken(
  ctx: TestContext,
  input: { userId: number; scopes: string[]; installations: OAuthGrant[]; expiresAt?: Date },
) {
  const db = ctx.database.db;
  const suffix = randomString(10);
  const application = await db
    .insertInto('oauth_applications')
    .values({ name: `App ${suffix}`, client_id: `client_${suffix}`, redirect_uris: [], scopes: [] })
    .returning(['id', 'name', 'client_id'])
    .executeTakeFirstOrThrow();
  const installationIds: number[] = [];
  for (const grant of input.installations) {
    const installation = await db
      .insertInto('oauth_installations')
      .values({
        application_id: application.id,
        business_id: grant.businessId,
        authorized_by_user_id: input.userId,
        scopes: grant.scopes,
        status: grant.status ?? 'active',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    installationIds.push(installation.id);
  }
  const family = await db
    .insertInto('oauth_token_families')
    .values({
      application_id: application.id,
      user_id: input.userId,
      installation_ids: installationIds,
      scopes: input.scopes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = `oat.${randomString(48)}`;
  await db
    .insertInto('oauth_access_tokens')
    .values({
      application_id: application.id,
      user_id: input.userId,
      family_id: family.id,
      token_hash: sha256Hex(token),
      scopes: input.scopes,
      expires_at: input.expiresAt ?? new Date(Date.now() + 3_600_000),
    })
    .execute();
  return { application, token };
}
