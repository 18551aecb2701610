import { describe, expect, it } from 'vitest';
import { randomString } from '../../../src/lib/ids.ts';
import { createApiKey, inviteMember } from '../../../src/modules/businesses/service.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';

const LIST = '/v3/me/business-users';

interface Membership {
  id: number;
  business: { id: number; unique_id: string; username: string; account_holder: string };
  user_id: number;
  is_verified: boolean;
}

/**
 * One user invited into three businesses in order (so membership ids ascend first -> third),
 * with a key of the first business acting for that user.
 */
async function userInThreeBusinesses(
  names: [string, string, string] = ['Kopi Alpha', 'Kopi Bravo', 'Teh Charlie'],
) {
  const tenants: Tenant[] = [];
  for (const name of names) tenants.push(await createTenant(name));
  const [first] = tenants as [Tenant, Tenant, Tenant];
  const db = first.ctx.database.db;
  const email = `multi-${randomString(10).toLowerCase()}@example.test`;
  const memberships: number[] = [];
  let userId = 0;
  for (const tenant of tenants) {
    const invited = await inviteMember(db, tenant.business.id, { email, name: 'Multi Member' });
    memberships.push(invited.membershipId);
    userId = invited.userId;
  }
  const key = (
    await createApiKey(db, { businessId: first.business.id, userId, name: 'multi', kind: 'secret' })
  ).token;
  const list = (query: Record<string, string | number> = {}) => first.request('GET', LIST, { key, query });
  return { tenants: tenants as [Tenant, Tenant, Tenant], userId, memberships, key, list };
}

const businessIds = (body: { data: Membership[] }) => body.data.map((m) => m.business.id);

function expectValidation(res: { statusCode: number; json: () => unknown; body: string }, field: string) {
  expect(res.statusCode, res.body).toBe(422);
  const body = res.json() as { error_code: string; errors: Record<string, string[]> };
  expect(body.error_code).toBe('validation_failed');
  expect(body.errors[field], JSON.stringify(body.errors)).toEqual(
    expect.arrayContaining([expect.any(String)]),
  );
}

describe('GET /v3/me/business-users (listBusinessUsers)', () => {
  it("lists the owner's own membership with the paginated envelope", async () => {
    const tenant = await createTenant('List Owner');
    const res = await tenant.request('GET', LIST);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      data: [
        {
          id: expect.any(Number),
          business: {
            id: tenant.business.id,
            unique_id: tenant.business.unique_id,
            username: tenant.business.username,
            account_holder: tenant.business.account_holder,
            email: tenant.owner.email,
            phone: null,
          },
          user_id: tenant.owner.id,
          business_phone: null,
          is_verified: true,
          is_locked: false,
          role: { id: expect.any(Number), name: 'Owner', is_owner: true },
          metadata: {},
        },
      ],
      is_paginated: true,
      has_next: false,
      has_previous: false,
      next_cursor: null,
      previous_cursor: null,
      page_size: 25,
    });
  });

  it('shows every membership of the user, newest first by default; asc reverses', async () => {
    const { tenants, userId, memberships, list } = await userInThreeBusinesses();
    const [a, b, c] = tenants;
    const desc = await list();
    expect(desc.statusCode, desc.body).toBe(200);
    const body = desc.json();
    expect(businessIds(body)).toEqual([c.business.id, b.business.id, a.business.id]);
    expect(body.data.map((m: Membership) => m.id)).toEqual([...memberships].reverse());
    expect(body.data.every((m: Membership) => m.user_id === userId && m.is_verified === false)).toBe(true);
    expect(body).toMatchObject({
      has_next: false,
      has_previous: false,
      next_cursor: null,
      previous_cursor: null,
    });

    const explicitDesc = await list({ sort_direction: 'desc' });
    expect(businessIds(explicitDesc.json())).toEqual([c.business.id, b.business.id, a.business.id]);
    const asc = await list({ sort_direction: 'asc' });
    expect(asc.statusCode, asc.body).toBe(200);
    expect(businessIds(asc.json())).toEqual([a.business.id, b.business.id, c.business.id]);
  });

  it('never shows memberships of other users', async () => {
    const { tenants, list } = await userInThreeBusinesses();
    const res = await list();
    const owners = tenants.map((t) => t.owner.id);
    expect(res.json().data.some((m: Membership) => owners.includes(m.user_id))).toBe(false);
    // And each owner sees only their own business.
    const ownerList = await tenants[1].request('GET', LIST);
    expect(businessIds(ownerList.json())).toEqual([tenants[1].business.id]);
  });

  it('works with a restricted key of any scope', async () => {
    const tenant = await createTenant('List Restricted');
    const key = await tenant.restrictedKey(['order:read']);
    const res = await tenant.request('GET', LIST, { key });
    expect(res.statusCode, res.body).toBe(200);
    expect(businessIds(res.json())).toEqual([tenant.business.id]);
  });

  it('filters by search over username and account holder, case-insensitively', async () => {
    const tag = randomString(6, 'abcdefghijklmnopqrstuvwxyz');
    const { tenants, list } = await userInThreeBusinesses([
      `Kopi ${tag} Alpha`,
      `Kopi ${tag} Bravo`,
      'Teh Charlie',
    ]);
    const [a, b, c] = tenants;
    const byHolder = await list({ search: `KOPI ${tag.toUpperCase()}` });
    expect(byHolder.statusCode, byHolder.body).toBe(200);
    expect(businessIds(byHolder.json())).toEqual([b.business.id, a.business.id]);
    const byUsername = await list({ search: c.business.username });
    expect(businessIds(byUsername.json())).toEqual([c.business.id]);
    const none = await list({ search: 'zz-no-such-business' });
    expect(none.json().data).toEqual([]);
    // LIKE wildcards are literal characters, not patterns.
    expect((await list({ search: '%' })).json().data).toEqual([]);
    expect((await list({ search: '_' })).json().data).toEqual([]);
    // A blank search is no filter.
    expect(businessIds((await list({ search: '   ' })).json())).toHaveLength(3);
  });

  it('filters by business_name over the account holder only', async () => {
    const tag = randomString(6, 'abcdefghijklmnopqrstuvwxyz');
    const { tenants, list } = await userInThreeBusinesses([
      `Warung ${tag} Satu`,
      `Warung ${tag} Dua`,
      `Toko ${tag} Tiga`,
    ]);
    const [a, b, c] = tenants;
    const warung = await list({ business_name: `warung ${tag}` });
    expect(warung.statusCode, warung.body).toBe(200);
    expect(businessIds(warung.json())).toEqual([b.business.id, a.business.id]);
    expect(businessIds((await list({ business_name: `Toko ${tag}` })).json())).toEqual([c.business.id]);
    // The username is not part of business_name.
    expect((await list({ business_name: a.business.username })).json().data).toEqual([]);
    // Combined with search, both apply.
    expect(
      businessIds((await list({ business_name: `warung ${tag}`, search: b.business.username })).json()),
    ).toEqual([b.business.id]);
  });

  it('pages forwards and backwards with page_size=1 without overlap', async () => {
    const { tenants, list } = await userInThreeBusinesses();
    const [a, b, c] = tenants;

    const page1 = (await list({ page_size: 1 })).json();
    expect(page1).toMatchObject({ has_next: true, has_previous: false, previous_cursor: null, page_size: 1 });
    expect(businessIds(page1)).toEqual([c.business.id]);
    expect(page1.next_cursor).toEqual(expect.any(String));

    const page2 = (await list({ page_size: 1, next_cursor: page1.next_cursor })).json();
    expect(businessIds(page2)).toEqual([b.business.id]);
    expect(page2).toMatchObject({ has_next: true, has_previous: true, page_size: 1 });

    const page3res = await list({ page_size: 1, next_cursor: page2.next_cursor });
    expect(page3res.statusCode, page3res.body).toBe(200);
    const page3 = page3res.json();
    expect(businessIds(page3)).toEqual([a.business.id]);
    expect(page3).toMatchObject({ has_next: false, has_previous: true, next_cursor: null });

    const back2 = (await list({ page_size: 1, previous_cursor: page3.previous_cursor })).json();
    expect(businessIds(back2)).toEqual([b.business.id]);
    expect(back2).toMatchObject({ has_next: true, has_previous: true });

    const back1 = (await list({ page_size: 1, previous_cursor: back2.previous_cursor })).json();
    expect(businessIds(back1)).toEqual([c.business.id]);
    expect(back1).toMatchObject({ has_next: true, has_previous: false, previous_cursor: null });

    // Forward again from the page reached backwards.
    const again = (await list({ page_size: 1, next_cursor: back1.next_cursor })).json();
    expect(businessIds(again)).toEqual([b.business.id]);
  });

  it('pages ascending with page_size=2', async () => {
    const { tenants, list } = await userInThreeBusinesses();
    const [a, b, c] = tenants;
    const first = (await list({ page_size: 2, sort_direction: 'asc' })).json();
    expect(businessIds(first)).toEqual([a.business.id, b.business.id]);
    expect(first).toMatchObject({ has_next: true, has_previous: false, page_size: 2 });
    const second = (
      await list({ page_size: 2, sort_direction: 'asc', next_cursor: first.next_cursor })
    ).json();
    expect(businessIds(second)).toEqual([c.business.id]);
    expect(second).toMatchObject({ has_next: false, has_previous: true, next_cursor: null });
    const back = (
      await list({ page_size: 2, sort_direction: 'asc', previous_cursor: second.previous_cursor })
    ).json();
    expect(businessIds(back)).toEqual([a.business.id, b.business.id]);
    expect(back).toMatchObject({ has_next: true, has_previous: false });
  });

  it('rejects a forged or tampered cursor with 400 invalid_cursor', async () => {
    const { list } = await userInThreeBusinesses();
    const page1 = (await list({ page_size: 1 })).json();
    const [payload, signature] = (page1.next_cursor as string).split('.') as [string, string];
    const forgedPayload = Buffer.from(JSON.stringify([1])).toString('base64url');
    for (const cursor of [
      'abc',
      'abc.def',
      `${forgedPayload}.${signature}`,
      `${payload}.${signature}x`,
      `${payload}.${signature}.x`,
    ]) {
      const res = await list({ page_size: 1, next_cursor: cursor });
      expect(res.statusCode, cursor).toBe(400);
      expect(res.json().error_code, cursor).toBe('invalid_cursor');
    }
    const prev = await list({ page_size: 1, previous_cursor: 'abc.def' });
    expect(prev.statusCode).toBe(400);
    expect(prev.json().error_code).toBe('invalid_cursor');
  });

  it('rejects a cursor reused with another sort_direction, search or business_name', async () => {
    const { list } = await userInThreeBusinesses();
    const page1 = (await list({ page_size: 1 })).json();
    const cursor: string = page1.next_cursor;
    const changes: Record<string, string>[] = [
      { sort_direction: 'asc' },
      { search: 'kopi' },
      { business_name: 'kopi' },
    ];
    for (const changed of changes) {
      const res = await list({ page_size: 1, next_cursor: cursor, ...changed });
      expect(res.statusCode, JSON.stringify(changed)).toBe(400);
      expect(res.json().error_code).toBe('invalid_cursor');
    }
    // The same cursor with an explicit default direction and another page size is fine.
    const ok = await list({ page_size: 2, sort_direction: 'desc', next_cursor: cursor });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().data).toHaveLength(2);
  });

  it("rejects another user's cursor", async () => {
    const first = await userInThreeBusinesses();
    const second = await userInThreeBusinesses();
    const cursor = (await first.list({ page_size: 1 })).json().next_cursor;
    const res = await second.list({ page_size: 1, next_cursor: cursor });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('invalid_cursor');
  });

  it('answers 400 when both cursors are sent', async () => {
    const { list } = await userInThreeBusinesses();
    const page2 = (
      await list({ page_size: 1, next_cursor: (await list({ page_size: 1 })).json().next_cursor })
    ).json();
    const res = await list({
      page_size: 1,
      next_cursor: page2.next_cursor,
      previous_cursor: page2.previous_cursor,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('bad_request');
  });

  it('answers 422 for invalid page_size and sort_direction', async () => {
    const tenant = await createTenant('List Invalid');
    for (const page_size of ['0', '26', '-1', 'abc', '1.5']) {
      expectValidation(await tenant.request('GET', LIST, { query: { page_size } }), 'page_size');
    }
    expectValidation(
      await tenant.request('GET', LIST, { query: { sort_direction: 'up' } }),
      'sort_direction',
    );
    expectValidation(await tenant.request('GET', LIST, { query: { search: 'x'.repeat(201) } }), 'search');
    expectValidation(
      await tenant.request('GET', LIST, { query: { next_cursor: 'x'.repeat(1025) } }),
      'next_cursor',
    );
    // Boundaries are accepted.
    for (const page_size of ['1', '25']) {
      const res = await tenant.request('GET', LIST, { query: { page_size } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().page_size).toBe(Number(page_size));
    }
  });
});
