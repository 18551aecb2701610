import { describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import { createApiKey, inviteMember } from '../../../src/modules/businesses/service.ts';
import { errorEnvelope } from '../../helpers/errors.ts';
import { issueOAuthToken } from '../../helpers/oauth.ts';
import { createTenant, send, type Tenant } from '../../helpers/tenants.ts';

const ME = '/v3/business-users/me';
const LEAVE = '/v3/business-users/me/leave';
const ACCEPT = '/v3/business-users/me/accept-invitation';
const DENY = '/v3/business-users/me/deny-invitation';

interface Invitee {
  userId: number;
  membershipId: number;
  email: string;
  name: string;
  password: string;
  /** A secret key of the business that acts for the invitee. */
  key: string;
}

/** Invites a fresh user (pending membership) and gives them a key of the business. */
async function invite(tenant: Tenant, role = 'Staff'): Promise<Invitee> {
  const db = tenant.ctx.database.db;
  const email = `invitee-${randomString(10).toLowerCase()}@example.test`;
  const name = `Invitee ${randomString(4)}`;
  const password = `pw-${randomString(12)}`;
  const invited = await inviteMember(db, tenant.business.id, { email, name, role, password });
  const key = await createApiKey(db, {
    businessId: tenant.business.id,
    userId: invited.userId,
    name: 'invitee',
    kind: 'secret',
  });
  return { ...invited, email, name, password, key: key.token };
}

/** A restricted key of the business acting for the invitee. */
async function restrictedKeyFor(tenant: Tenant, invitee: Invitee, scopes: string[]): Promise<string> {
  const key = await createApiKey(tenant.ctx.database.db, {
    businessId: tenant.business.id,
    userId: invitee.userId,
    name: 'r',
    kind: 'restricted',
    scopes,
  });
  return key.token;
}

function expectInsufficientScope(
  res: { statusCode: number; body: string; json: () => unknown },
  scope: string,
) {
  expect(res.statusCode, res.body).toBe(403);
  expect(res.json()).toMatchObject({
    error_code: 'insufficient_scope',
    message: `This request requires the ${scope} scope`,
  });
}

async function acceptedInvitee(tenant: Tenant, role = 'Staff'): Promise<Invitee> {
  const invitee = await invite(tenant, role);
  const res = await tenant.request('POST', ACCEPT, { key: invitee.key, body: {} });
  expect(res.statusCode, res.body).toBe(200);
  return invitee;
}

async function roleId(tenant: Tenant, name: string): Promise<number> {
  const row = await tenant.ctx.database.db
    .selectFrom('business_roles')
    .select('id')
    .where('business_id', '=', tenant.business.id)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.id;
}

function businessJson(tenant: Tenant) {
  return {
    id: tenant.business.id,
    unique_id: tenant.business.unique_id,
    username: tenant.business.username,
    account_holder: tenant.business.account_holder,
    email: tenant.owner.email,
    phone: null,
  };
}

function expectValidation(res: { statusCode: number; json: () => unknown; body: string }, field: string) {
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json() as {
    error_code: string;
    errors: Record<string, string[]>;
    message: string;
    error: unknown;
  };
  expect(body.error_code).toBe('validation_failed');
  expect(typeof body.message).toBe('string');
  expect(body.errors[field], JSON.stringify(body.errors)).toEqual([expect.any(String)]);
  return body;
}

describe('GET /v3/business-users/me (getCurrentBusinessUser)', () => {
  it("returns the owner's verified membership with the exact shape", async () => {
    const tenant = await createTenant('Membership');
    const res = await tenant.request('GET', ME);
    expect(res.statusCode, res.body).toBe(200);
    const ownerRole = await roleId(tenant, 'Owner');
    expect(res.json()).toEqual({
      id: expect.any(Number),
      business: businessJson(tenant),
      user_id: tenant.owner.id,
      business_phone: null,
      is_verified: true,
      is_locked: false,
      role: { id: ownerRole, name: 'Owner', is_owner: true },
      metadata: {},
    });
  });

  it("returns a pending invitee's unverified membership", async () => {
    const tenant = await createTenant('Membership');
    const invitee = await invite(tenant, 'Admin');
    const res = await tenant.request('GET', ME, { key: invitee.key });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: invitee.membershipId,
      business: businessJson(tenant),
      user_id: invitee.userId,
      business_phone: null,
      is_verified: false,
      is_locked: false,
      role: { id: await roleId(tenant, 'Admin'), name: 'Admin', is_owner: false },
      metadata: {},
    });
  });

  it('works with a restricted key of any scope', async () => {
    const tenant = await createTenant('Membership');
    const key = await tenant.restrictedKey(['order:read']);
    const res = await tenant.request('GET', ME, { key });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().user_id).toBe(tenant.owner.id);
  });

  it('answers 404 when the acting user is not a member of the business the key belongs to', async () => {
    const a = await createTenant('Membership A');
    const b = await createTenant('Membership B');
    // A key of business B acting for A's owner, who has no membership in B.
    const key = await createApiKey(a.ctx.database.db, {
      businessId: b.business.id,
      userId: a.owner.id,
      name: 'x',
      kind: 'secret',
    });
    const res = await b.request('GET', ME, { key: key.token });
    expect(res.statusCode).toBe(404);
    expect(res.json().error_code).toBe('not_found');
    // Each owner sees only their own business.
    expect((await a.request('GET', ME)).json().business.id).toBe(a.business.id);
    expect((await b.request('GET', ME)).json().business.id).toBe(b.business.id);
  });

  it('answers 401 without credentials', async () => {
    const tenant = await createTenant('Membership');
    const res = await send(tenant.ctx, 'GET', ME);
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('invalid_token');
  });
});

describe('POST /v3/business-users/me/accept-invitation', () => {
  it('verifies a pending membership and stores the business phone', async () => {
    const tenant = await createTenant('Accept');
    const invitee = await invite(tenant);
    const res = await tenant.request('POST', ACCEPT, {
      key: invitee.key,
      body: { business_phone: '081234567890' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: invitee.membershipId,
      business: businessJson(tenant),
      user_id: invitee.userId,
      business_phone: '081234567890',
      is_verified: true,
      is_locked: false,
      role: { id: await roleId(tenant, 'Staff'), name: 'Staff', is_owner: false },
      metadata: {},
    });
    const again = await tenant.request('GET', ME, { key: invitee.key });
    expect(again.json()).toMatchObject({ is_verified: true, business_phone: '081234567890' });
  });

  it('accepts without a body (the body is optional)', async () => {
    const tenant = await createTenant('Accept');
    const invitee = await invite(tenant);
    const res = await tenant.request('POST', ACCEPT, { key: invitee.key });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ is_verified: true, business_phone: null });
  });

  it('accepts with an empty body and with an explicit null phone', async () => {
    const tenant = await createTenant('Accept');
    const first = await invite(tenant);
    const empty = await tenant.request('POST', ACCEPT, { key: first.key, body: {} });
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ is_verified: true, business_phone: null });
    const second = await invite(tenant);
    const nullPhone = await tenant.request('POST', ACCEPT, {
      key: second.key,
      body: { business_phone: null },
    });
    expect(nullPhone.statusCode, nullPhone.body).toBe(200);
    expect(nullPhone.json()).toMatchObject({ is_verified: true, business_phone: null });
  });

  it('needs business_user:update of a restricted key', async () => {
    const tenant = await createTenant('Accept');
    const invitee = await invite(tenant);
    const denied = await tenant.request('POST', ACCEPT, {
      key: await restrictedKeyFor(tenant, invitee, ['product:read']),
      body: {},
    });
    expectInsufficientScope(denied, 'business_user:update');
    expect((await tenant.request('GET', ME, { key: invitee.key })).json().is_verified).toBe(false);
    const res = await tenant.request('POST', ACCEPT, {
      key: await restrictedKeyFor(tenant, invitee, ['product:read', 'business_user:update']),
      body: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().is_verified).toBe(true);
  });

  it('answers 409 state_conflict when accepting twice', async () => {
    const tenant = await createTenant('Accept');
    const invitee = await invite(tenant);
    expect((await tenant.request('POST', ACCEPT, { key: invitee.key, body: {} })).statusCode).toBe(200);
    const res = await tenant.request('POST', ACCEPT, { key: invitee.key, body: { business_phone: '0899' } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual(
      errorEnvelope(res, {
        error: expect.any(String),
        error_code: 'state_conflict',
        message: expect.any(String),
        errors: {},
      }),
    );
    // The second call changed nothing.
    expect((await tenant.request('GET', ME, { key: invitee.key })).json().business_phone).toBeNull();
  });

  it('answers 409 for the owner, whose membership is already verified', async () => {
    const tenant = await createTenant('Accept');
    const res = await tenant.request('POST', ACCEPT, { body: {} });
    expect(res.statusCode).toBe(409);
    expect(res.json().error_code).toBe('state_conflict');
  });

  it('answers 422 for a business phone that is too long or not a string', async () => {
    const tenant = await createTenant('Accept');
    const invitee = await invite(tenant);
    const tooLong = await tenant.request('POST', ACCEPT, {
      key: invitee.key,
      body: { business_phone: '1'.repeat(33) },
    });
    expect(tooLong.statusCode, tooLong.body).toBe(422);
    expect(tooLong.json().error_code).toBe('validation_failed');
    expect(tooLong.json().errors.business_phone).toContain('must NOT have more than 32 characters');
    const notString = await tenant.request('POST', ACCEPT, {
      key: invitee.key,
      body: { business_phone: { nested: true } },
    });
    expect(notString.statusCode, notString.body).toBe(422);
    expect(notString.json().errors).toHaveProperty('business_phone');
    // Nothing was accepted by the rejected calls.
    expect((await tenant.request('GET', ME, { key: invitee.key })).json().is_verified).toBe(false);
  });

  it('reports only the real problem of a nullable field, not "must be null"', async () => {
    const tenant = await createTenant('Accept');
    const invitee = await invite(tenant);
    const res = await tenant.request('POST', ACCEPT, {
      key: invitee.key,
      body: { business_phone: '1'.repeat(33) },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().errors).toEqual({ business_phone: ['must NOT have more than 32 characters'] });
  });

  it('answers 404 when the user has no membership in the selected business', async () => {
    const a = await createTenant('Accept A');
    const b = await createTenant('Accept B');
    const key = await createApiKey(a.ctx.database.db, {
      businessId: b.business.id,
      userId: a.owner.id,
      name: 'x',
      kind: 'secret',
    });
    const res = await b.request('POST', ACCEPT, { key: key.token, body: {} });
    expect(res.statusCode).toBe(404);
    expect(res.json().error_code).toBe('not_found');
  });
});

describe('POST /v3/business-users/me/deny-invitation', () => {
  it('deletes a pending membership: 204, then the membership is gone', async () => {
    const tenant = await createTenant('Deny');
    const invitee = await invite(tenant);
    const res = await tenant.request('POST', DENY, { key: invitee.key });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const membership = await tenant.ctx.database.db
      .selectFrom('business_users')
      .select('id')
      .where('business_id', '=', tenant.business.id)
      .where('user_id', '=', invitee.userId)
      .executeTakeFirst();
    expect(membership).toBeUndefined();
  });

  it("revokes the invitee's credentials for the business, so a second deny gets 401", async () => {
    const tenant = await createTenant('Deny');
    const invitee = await invite(tenant);
    expect((await tenant.request('POST', DENY, { key: invitee.key })).statusCode).toBe(204);
    const res = await tenant.request('POST', DENY, { key: invitee.key });
    expect(res.statusCode).toBe(401);
    expect(res.json().error_code).toBe('invalid_token');
  });

  it('answers 409 for an accepted membership and keeps it', async () => {
    const tenant = await createTenant('Deny');
    const invitee = await acceptedInvitee(tenant);
    const res = await tenant.request('POST', DENY, { key: invitee.key });
    expect(res.statusCode).toBe(409);
    expect(res.json().error_code).toBe('state_conflict');
    expect((await tenant.request('GET', ME, { key: invitee.key })).json().is_verified).toBe(true);
  });

  it("answers 409 for the owner's membership", async () => {
    const tenant = await createTenant('Deny');
    const res = await tenant.request('POST', DENY);
    expect(res.statusCode).toBe(409);
    expect((await tenant.request('GET', ME)).statusCode).toBe(200);
  });

  it('needs business_user:update of a restricted key', async () => {
    const tenant = await createTenant('Deny');
    const invitee = await invite(tenant);
    const denied = await tenant.request('POST', DENY, {
      key: await restrictedKeyFor(tenant, invitee, ['order:list']),
    });
    expectInsufficientScope(denied, 'business_user:update');
    expect((await tenant.request('GET', ME, { key: invitee.key })).statusCode).toBe(200);
    const key = await restrictedKeyFor(tenant, invitee, ['order:list', 'business_user:update']);
    expect((await tenant.request('POST', DENY, { key })).statusCode).toBe(204);
  });
});

describe('POST /v3/business-users/me/leave', () => {
  it('answers 422 errors.password without a password', async () => {
    const tenant = await createTenant('Leave');
    const invitee = await acceptedInvitee(tenant);
    const body = expectValidation(
      await tenant.request('POST', LEAVE, { key: invitee.key, body: {} }),
      'password',
    );
    expect(body.errors.password).toEqual(['is required']);
    expectValidation(
      await tenant.request('POST', LEAVE, { key: invitee.key, body: { password: '' } }),
      'password',
    );
    expectValidation(
      await tenant.request('POST', LEAVE, { key: invitee.key, body: { password: 'x'.repeat(1025) } }),
      'password',
    );
    // Still a member.
    expect((await tenant.request('GET', ME, { key: invitee.key })).statusCode).toBe(200);
  });

  it('answers 422 without any body', async () => {
    const tenant = await createTenant('Leave');
    const invitee = await acceptedInvitee(tenant);
    const res = await tenant.request('POST', LEAVE, { key: invitee.key });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.json().error_code).toBe('validation_failed');
  });

  it('answers 422 errors.password for a wrong password', async () => {
    const tenant = await createTenant('Leave');
    const invitee = await acceptedInvitee(tenant);
    const res = await tenant.request('POST', LEAVE, {
      key: invitee.key,
      body: { password: 'not-the-password' },
    });
    const body = expectValidation(res, 'password');
    expect(body.errors).toEqual({ password: ['is incorrect'] });
    expect((await tenant.request('GET', ME, { key: invitee.key })).statusCode).toBe(200);
  });

  it('answers 403 for the owner even with the right password', async () => {
    const tenant = await createTenant('Leave');
    await acceptedInvitee(tenant);
    const res = await tenant.request('POST', LEAVE, { body: { password: tenant.ownerPassword } });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().error_code).toBe('forbidden');
    expect((await tenant.request('GET', ME)).statusCode).toBe(200);
  });

  it('answers 409 for a pending invitation (deny it instead)', async () => {
    const tenant = await createTenant('Leave');
    const invitee = await invite(tenant);
    const res = await tenant.request('POST', LEAVE, {
      key: invitee.key,
      body: { password: invitee.password },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error_code).toBe('state_conflict');
  });

  it('lets a verified member leave; their key for the business then stops working', async () => {
    const tenant = await createTenant('Leave');
    const invitee = await acceptedInvitee(tenant);
    const res = await tenant.request('POST', LEAVE, {
      key: invitee.key,
      body: { password: invitee.password },
    });
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    const after = await tenant.request('GET', '/v3/me', { key: invitee.key });
    expect(after.statusCode).toBe(401);
    expect(after.json().error_code).toBe('invalid_token');
    expect((await tenant.request('GET', ME, { key: invitee.key })).statusCode).toBe(401);
    // The owner and their key are untouched.
    expect((await tenant.request('GET', ME)).statusCode).toBe(200);
    const remaining = await tenant.ctx.database.db
      .selectFrom('business_users')
      .select('user_id')
      .where('business_id', '=', tenant.business.id)
      .execute();
    expect(remaining.map((r) => r.user_id)).toEqual([tenant.owner.id]);
  });

  it("needs business_user:update of an OAuth token, and revokes the leaving member's installations", async () => {
    const tenant = await createTenant('Leave');
    const invitee = await acceptedInvitee(tenant);
    const oauth = async (scopes: string[]) => {
      const { token } = await issueOAuthToken(tenant.ctx, {
        userId: invitee.userId,
        scopes,
        installations: [{ businessId: tenant.business.id, scopes }],
      });
      return { authorization: `Bearer ${token}` };
    };
    const body = { password: invitee.password };
    const readOnly = await oauth(['store:read']);
    const denied = await send(tenant.ctx, 'POST', LEAVE, { headers: readOnly, body });
    expectInsufficientScope(denied, 'business_user:update');
    expect((await send(tenant.ctx, 'GET', ME, { headers: readOnly })).statusCode).toBe(200);

    const auth = await oauth(['store:read', 'business_user:update']);
    const leave = await send(tenant.ctx, 'POST', LEAVE, { headers: auth, body });
    expect(leave.statusCode, leave.body).toBe(204);
    for (const headers of [auth, readOnly]) {
      const me = await send(tenant.ctx, 'GET', '/v3/me', { headers });
      expect(me.statusCode).toBe(403);
      const current = await send(tenant.ctx, 'GET', ME, { headers });
      expect(current.statusCode).toBe(403);
    }
  });

  it('answers 409 for the last verified member (owner role moved to a non-owner role)', async () => {
    // With an owner present, a leaving non-owner is never the last verified member, and the owner
    // may not leave; so the only way to reach the rule is a business whose one verified member holds
    // a non-owner role.
    const tenant = await createTenant('Leave');
    const db = tenant.ctx.database.db;
    await db
      .updateTable('business_users')
      .set({ role_id: await roleId(tenant, 'Admin') })
      .where('business_id', '=', tenant.business.id)
      .where('user_id', '=', tenant.owner.id)
      .execute();
    // A pending invitation does not count as a member.
    await invite(tenant);
    const res = await tenant.request('POST', LEAVE, { body: { password: tenant.ownerPassword } });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().error_code).toBe('state_conflict');
    expect((await tenant.request('GET', ME)).statusCode).toBe(200);
  });

  it('needs business_user:update of a restricted key', async () => {
    const tenant = await createTenant('Leave');
    const invitee = await acceptedInvitee(tenant);
    const body = { password: invitee.password };
    const denied = await tenant.request('POST', LEAVE, {
      key: await restrictedKeyFor(tenant, invitee, ['store:read']),
      body,
    });
    expectInsufficientScope(denied, 'business_user:update');
    expect((await tenant.request('GET', ME, { key: invitee.key })).statusCode).toBe(200);
    const key = await restrictedKeyFor(tenant, invitee, ['store:read', 'business_user:update']);
    const res = await tenant.request('POST', LEAVE, { key, body });
    expect(res.statusCode, res.body).toBe(204);
  });
});
