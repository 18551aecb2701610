import { sha256Hex } from '../../src/lib/crypto.ts';
import { randomString } from '../../src/lib/ids.ts';
import type { TestContext } from './app.ts';

export interface OAuthGrant {
  businessId: number;
  scopes: string[];
  status?: 'active' | 'revoked';
}

/**
 * There is no authorization server yet: an application, its installations and an access token go
 * straight into the tables. A business call is granted the scopes both the token and the
 * installation hold.
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
  for (const grant of input.installations) {
    await db
      .insertInto('oauth_installations')
      .values({
        application_id: application.id,
        business_id: grant.businessId,
        authorized_by_user_id: input.userId,
        scopes: grant.scopes,
        status: grant.status ?? 'active',
      })
      .execute();
  }
  const token = `oat.${randomString(48)}`;
  await db
    .insertInto('oauth_access_tokens')
    .values({
      application_id: application.id,
      user_id: input.userId,
      token_hash: sha256Hex(token),
      scopes: input.scopes,
      expires_at: input.expiresAt ?? new Date(Date.now() + 3_600_000),
    })
    .execute();
  return { application, token };
}
