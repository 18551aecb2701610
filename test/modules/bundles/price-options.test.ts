import { type KyselyPlugin, type QueryId, SelectQueryNode } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src/http/errors.ts';
import { createPriceOption } from '../../../src/modules/bundles/price-options.ts';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  BPO_ID,
  businessOf,
  createBundle,
  expectFieldError,
  expectStatus,
  placeInStore,
  setTaxRate,
  walkPages,
  warmUp,
} from './helpers.ts';

beforeAll(warmUp);

const optionsUrl = (bundleId: number) => `/v3/bundles/${bundleId}/bundle-price-options`;

/**
 * Hides the rows of the slug pre-check (the only query selecting nothing but `slug` from
 * bundle_price_options), as if the competing option had committed just after the check: the
 * unique index is then what decides.
 */
function slugPreCheckMisses(): KyselyPlugin {
  const hidden = new WeakSet<QueryId>();
  return {
    transformQuery({ node, queryId }) {
      if (
        SelectQueryNode.is(node) &&
        JSON.stringify(node.from).includes('"bundle_price_options"') &&
        node.selections?.length === 1 &&
        JSON.stringify(node.selections).includes('"slug"')
      )
        hidden.add(queryId);
      return node;
    },
    transformResult: async ({ queryId, result }) => (hidden.has(queryId) ? { ...result, rows: [] } : result),
  };
}

async function addOption(tenant: Tenant, bundleId: number, body: Record<string, unknown>) {
  const res = await tenant.request('POST', optionsUrl(bundleId), { body });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe('createBundlePriceOption', () => {
  it('creates an option with price_bt from the business tax rate and the exact shape', async () => {
    const tenant = await createTenant('Options');
    await setTaxRate(tenant, '0.11');
    const bundle = await createBundle(tenant);
    const option = await addOption(tenant, bundle.id, { name: '  Paket Keluarga ', price: 111000 });
    expect(option).toEqual({
      id: expect.any(Number),
      bundle_id: bundle.id,
      unique_id: expect.stringMatching(BPO_ID),
      name: 'Paket Keluarga',
      slug: 'paket-keluarga',
      price: '111000.00',
      price_bt: '100000.00',
      weight_bump: 0,
      stores: [],
    });
    const again = await addOption(tenant, bundle.id, {
      name: 'Paket Keluarga',
      price: '99999.99',
      slug: 'keluarga-hemat',
      weight_bump: 150,
    });
    expect(again).toMatchObject({
      slug: 'keluarga-hemat',
      price: '99999.99',
      price_bt: '90090.08',
      weight_bump: 150,
    });
    const third = await addOption(tenant, bundle.id, { name: 'Paket Keluarga', price: 0 });
    expect(third).toMatchObject({ slug: 'paket-keluarga-2', price: '0.00', price_bt: '0.00' });

    const got = await tenant.request('GET', `/v3/bundles/${bundle.id}`);
    expect(got.json().bundle_price_options.map((o: { id: number }) => o.id)).toEqual([
      option.id,
      again.id,
      third.id,
    ]);
  });

  it('rejects bad input with 422 naming the field', async () => {
    const tenant = await createTenant('Options');
    const bundle = await createBundle(tenant);
    await addOption(tenant, bundle.id, { name: 'A', price: 1, slug: 'taken' });
    const post = (body: unknown) => tenant.request('POST', optionsUrl(bundle.id), { body });
    expectFieldError(await post({ price: 1 }), 'name');
    expectFieldError(await post({ name: 'A' }), 'price');
    expectFieldError(await post({ name: 'A', price: 'abc' }), 'price');
    expectFieldError(await post({ name: 'A', price: -5 }), 'price');
    expectFieldError(await post({ name: 'A', price: '1.005' }), 'price');
    expectFieldError(await post({ name: 'A', price: '1e3' }), 'price');
    expectFieldError(await post({ name: 'A', price: 1e21 }), 'price');
    expectFieldError(await post({ name: 'A', price: 1, slug: 'With Space' }), 'slug');
    expectFieldError(await post({ name: 'A', price: 1, slug: 'taken' }), 'slug');
    expectFieldError(await post({ name: 'A', price: 1, weight_bump: 1.5 }), 'weight_bump');
  });

  it('gives concurrent creates of one slug one option and the rest a 422 or 409, never a 500; other businesses are apart', async () => {
    const tenant = await createTenant('Options');
    const other = await createTenant('Lain');
    const bundles = [await createBundle(tenant), await createBundle(tenant), await createBundle(tenant)];
    const theirs = await createBundle(other);
    const body = { name: 'Paket Balapan', price: 1000, slug: 'paket-balapan' };
    const responses = await Promise.all([
      ...[...bundles, ...bundles].map((bundle) => tenant.request('POST', optionsUrl(bundle.id), { body })),
      other.request('POST', optionsUrl(theirs.id), { body }),
    ]);
    const ours = responses.slice(0, 6);
    expect(ours.filter((res) => res.statusCode === 200)).toHaveLength(1);
    // Seen taken at the check: the 422 of a taken slug; lost the race at the insert: 409.
    for (const res of ours.filter((r) => r.statusCode !== 200)) {
      if (res.statusCode === 409) expect(res.json().error_code).toBe('state_conflict');
      else expectFieldError(res, 'slug');
    }
    expect(responses[6]!.statusCode, responses[6]!.body).toBe(200);
    const rows = await tenant.ctx.database.db
      .selectFrom('bundle_price_options')
      .select('business_id')
      .where('slug', '=', 'paket-balapan')
      .orderBy('business_id')
      .execute();
    expect(rows).toEqual([{ business_id: tenant.business.id }, { business_id: other.business.id }]);
  });

  it('lets the unique index decide when the pre-check misses a slug taken meanwhile', async () => {
    const tenant = await createTenant('Options');
    const caller = { businessId: tenant.business.id, userId: tenant.owner.id };
    const first = await createBundle(tenant);
    const second = await createBundle(tenant);
    await addOption(tenant, first.id, { name: 'Paket', price: 1, slug: 'paket-kilat' });
    const db = tenant.ctx.database.db.withPlugin(slugPreCheckMisses());

    // A client slug taken meanwhile: 409 (the request lost a race), never a database error.
    const error = await createPriceOption(db, caller, second.id, {
      name: 'Paket',
      price: 2,
      slug: 'paket-kilat',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).statusCode).toBe(409);
    expect((error as ApiError).code).toBe('state_conflict');

    // A generated slug taken meanwhile: the option gets another free slug instead.
    const generated = await createPriceOption(db, caller, second.id, { name: 'Paket Kilat', price: 3 });
    expect(generated.slug).toMatch(/^paket-kilat-[a-z0-9]+$/);
    const slugs = await tenant.ctx.database.db
      .selectFrom('bundle_price_options')
      .select(['bundle_id', 'slug'])
      .where('business_id', '=', tenant.business.id)
      .orderBy('id')
      .execute();
    expect(slugs).toEqual([
      { bundle_id: first.id, slug: 'paket-kilat' },
      { bundle_id: second.id, slug: generated.slug },
    ]);
  });

  it('answers 404 for another business bundle, 422 for a bad bundle id, 403 without bundle:create', async () => {
    const tenant = await createTenant('Options');
    const other = await createTenant('Lain');
    const theirs = await createBundle(other);
    expectStatus(
      await tenant.request('POST', optionsUrl(theirs.id), { body: { name: 'A', price: 1 } }),
      404,
      'not_found',
    );
    expectFieldError(
      await tenant.request('POST', '/v3/bundles/x/bundle-price-options', { body: { name: 'A', price: 1 } }),
      'bundle_id',
    );
    const mine = await createBundle(tenant);
    const key = await tenant.restrictedKey(['bundle:update']);
    expectStatus(
      await tenant.request('POST', optionsUrl(mine.id), { key, body: { name: 'A', price: 1 } }),
      403,
      'insufficient_scope',
    );
  });
});

describe('listBundlePriceOptions', () => {
  it('lists a bundle options newest first with their stores, paging both ways', async () => {
    const tenant = await createTenant('Options');
    const bundle = await createBundle(tenant);
    const created = [];
    for (const name of ['A', 'B', 'C', 'D', 'E'])
      created.push(await addOption(tenant, bundle.id, { name, price: 10 }));
    await placeInStore(tenant, created[1].id);
    const otherBundle = await createBundle(tenant, { bundle_price_options: [{ name: 'Z', price: 1 }] });

    const res = await tenant.request('GET', optionsUrl(bundle.id));
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      is_paginated: true,
      has_next: false,
      has_previous: false,
      page_size: 25,
    });
    const expected = created.map((o) => o.id).reverse();
    expect(res.json().data.map((o: { id: number }) => o.id)).toEqual(expected);
    expect(res.json().data[3]).toEqual({
      ...created[1],
      stores: [{ id: tenant.store.id, name: tenant.store.name, custom_domain: null }],
    });
    await walkPages((query) => tenant.request('GET', optionsUrl(bundle.id), { query }), expected, 2);

    const cursor = (await tenant.request('GET', optionsUrl(bundle.id), { query: { page_size: 1 } })).json()
      .next_cursor;
    expectStatus(
      await tenant.request('GET', optionsUrl(otherBundle.id), {
        query: { page_size: 1, next_cursor: cursor },
      }),
      400,
      'invalid_cursor',
    );
    expectFieldError(
      await tenant.request('GET', optionsUrl(bundle.id), { query: { page_size: 0 } }),
      'page_size',
    );
    expectFieldError(
      await tenant.request('GET', optionsUrl(bundle.id), { query: { page_size: 26 } }),
      'page_size',
    );
  });

  it('answers 404 for another business bundle and 403 without bundle:list', async () => {
    const tenant = await createTenant('Options');
    const other = await createTenant('Lain');
    const theirs = await createBundle(other, { bundle_price_options: [{ name: 'A', price: 1 }] });
    expectStatus(await tenant.request('GET', optionsUrl(theirs.id)), 404, 'not_found');
    const key = await tenant.restrictedKey(['bundle:read']);
    const mine = await createBundle(tenant);
    expectStatus(await tenant.request('GET', optionsUrl(mine.id), { key }), 403, 'insufficient_scope');
  });
});

describe('updateBundlePriceOption', () => {
  it('updates name and price (recomputing price_bt) and keeps the slug unless a new one is sent', async () => {
    const tenant = await createTenant('Options');
    await setTaxRate(tenant, '0.1');
    const bundle = await createBundle(tenant);
    const option = await addOption(tenant, bundle.id, { name: 'Lama', price: 110 });
    await placeInStore(tenant, option.id);
    const url = `${optionsUrl(bundle.id)}/${option.id}`;
    const res = await tenant.request('PATCH', url, { body: { name: 'Baru', price: '220.00' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      ...option,
      name: 'Baru',
      price: '220.00',
      price_bt: '200.00',
      stores: [{ id: tenant.store.id, name: tenant.store.name, custom_domain: null }],
    });
    const renamed = await tenant.request('PATCH', url, { body: { name: 'Baru', price: 220, slug: 'baru' } });
    expect(renamed.json().slug).toBe('baru');
    // Sending its own slug again is no conflict.
    expect(
      (await tenant.request('PATCH', url, { body: { name: 'Baru', price: 220, slug: 'baru' } })).statusCode,
    ).toBe(200);
  });

  it('rejects bad input, a taken slug, other bundles options and missing scopes', async () => {
    const tenant = await createTenant('Options');
    const bundle = await createBundle(tenant);
    const option = await addOption(tenant, bundle.id, { name: 'A', price: 1 });
    await addOption(tenant, bundle.id, { name: 'B', price: 1, slug: 'dipakai' });
    const url = `${optionsUrl(bundle.id)}/${option.id}`;
    expectFieldError(await tenant.request('PATCH', url, { body: { name: 'A' } }), 'price');
    expectFieldError(await tenant.request('PATCH', url, { body: { price: 1 } }), 'name');
    expectFieldError(await tenant.request('PATCH', url, { body: { name: 'A', price: 'x' } }), 'price');
    expectFieldError(
      await tenant.request('PATCH', url, { body: { name: 'A', price: 1, slug: 'dipakai' } }),
      'slug',
    );
    expectFieldError(
      await tenant.request('PATCH', `${optionsUrl(bundle.id)}/abc`, { body: { name: 'A', price: 1 } }),
      'id',
    );

    const sibling = await createBundle(tenant);
    expectStatus(
      await tenant.request('PATCH', `${optionsUrl(sibling.id)}/${option.id}`, {
        body: { name: 'A', price: 1 },
      }),
      404,
      'not_found',
    );
    const other = await createTenant('Lain');
    expectStatus(await other.request('PATCH', url, { body: { name: 'A', price: 1 } }), 404, 'not_found');
    const key = await tenant.restrictedKey(['bundle:create']);
    expectStatus(
      await tenant.request('PATCH', url, { key, body: { name: 'A', price: 1 } }),
      403,
      'insufficient_scope',
    );
  });
});

describe('deleteBundlePriceOption', () => {
  it('deletes the option and its store placements, leaving the bundle', async () => {
    const tenant = await createTenant('Options');
    const bundle = await createBundle(tenant, {
      bundle_price_options: [
        { name: 'A', price: 1 },
        { name: 'B', price: 2 },
      ],
    });
    const [a, b] = bundle.bundle_price_options;
    await placeInStore(tenant, a.id);
    const url = `${optionsUrl(bundle.id)}/${a.id}`;

    const other = await createTenant('Lain');
    expectStatus(await other.request('DELETE', url), 404, 'not_found');
    const key = await tenant.restrictedKey(['bundle:update']);
    expectStatus(await tenant.request('DELETE', url, { key }), 403, 'insufficient_scope');
    expectFieldError(await tenant.request('DELETE', `${optionsUrl(bundle.id)}/x`), 'id');

    const res = await tenant.request('DELETE', url);
    expect(res.statusCode, res.body).toBe(204);
    expectStatus(await tenant.request('DELETE', url), 404, 'not_found');
    const got = await tenant.request('GET', `/v3/bundles/${bundle.id}`);
    expect(got.json().bundle_price_options.map((o: { id: number }) => o.id)).toEqual([b.id]);
    const placements = await tenant.ctx.database.db
      .selectFrom('store_bundle_price_options')
      .select('store_id')
      .where('bundle_price_option_id', '=', a.id)
      .execute();
    expect(placements).toEqual([]);
  });
});

describe('getBundlePriceOptionRelations', () => {
  it('returns the option with every store selling it', async () => {
    const tenant = await createTenant('Options');
    const bundle = await createBundle(tenant, { bundle_price_options: [{ name: 'A', price: 5 }] });
    const [option] = bundle.bundle_price_options;
    const branch = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Cabang' });
    await placeInStore(tenant, option.id);
    await placeInStore(tenant, option.id, branch.id);
    const url = `${optionsUrl(bundle.id)}/${option.id}/relations`;
    const res = await tenant.request('GET', url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: option.id,
      bundle_id: bundle.id,
      unique_id: option.unique_id,
      name: 'A',
      slug: 'a',
      price: '5.00',
      price_bt: '5.00',
      weight_bump: 0,
      stores: [
        {
          id: tenant.store.id,
          name: tenant.store.name,
          unique_id: tenant.store.unique_id,
          business: businessOf(tenant),
        },
        { id: branch.id, name: 'Cabang', unique_id: branch.unique_id, business: businessOf(tenant) },
      ],
      pages: { all: [], will_unpublish: [] },
    });
    const other = await createTenant('Lain');
    expectStatus(await other.request('GET', url), 404, 'not_found');
    const key = await tenant.restrictedKey(['bundle:list']);
    expectStatus(await tenant.request('GET', url, { key }), 403, 'insufficient_scope');
    expectFieldError(await tenant.request('GET', `${optionsUrl(bundle.id)}/0/relations`), 'id');
  });
});
