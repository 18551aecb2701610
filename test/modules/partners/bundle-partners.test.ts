import { beforeAll, describe, expect, it } from 'vitest';
import { listSharedBundleIdsForBusiness } from '../../../src/modules/partners/queries.ts';
import { getTestContext } from '../../helpers/app.ts';
import { insertBundle, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  addBundlePartner,
  bundlePartnersUrl,
  expectStatus,
  expectValidation,
  ISO,
  partnerBusiness,
} from './helpers.ts';

// Booting the worker's app can outlast a test's timeout on a busy machine; hooks get longer.
beforeAll(async () => {
  await getTestContext();
});

async function bundleOf(owner: Tenant) {
  const product = await insertProduct(owner);
  return insertBundle(owner, [{ variantId: product.variants[0]!.id, quantity: 2 }], [{}, {}]);
}

async function listPriceOption(tenant: Tenant, optionId: number, storeId = tenant.store.id) {
  await tenant.ctx.database.db
    .insertInto('store_bundle_price_options')
    .values({ store_id: storeId, bundle_price_option_id: optionId, business_id: tenant.business.id })
    .execute();
}

async function storesListingOption(tenant: Tenant, optionId: number): Promise<number[]> {
  const rows = await tenant.ctx.database.db
    .selectFrom('store_bundle_price_options')
    .select('store_id')
    .where('bundle_price_option_id', '=', optionId)
    .orderBy('store_id')
    .execute();
  return rows.map((row) => row.store_id);
}

describe('POST /v3/bundles/{bundle_id}/partners (createBundlePartner)', () => {
  it('adds a partner and returns the exact BundlePartner shape', async () => {
    const owner = await createTenant('Produsen');
    const partner = await createTenant('Mitra');
    const bundle = await bundleOf(owner);
    const res = await owner.request('POST', bundlePartnersUrl(bundle.id), {
      body: { partner_unique_id: partner.business.unique_id.toLowerCase() },
    });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json();
    expect(created).toEqual({
      id: expect.any(Number),
      partner: partnerBusiness(partner),
      created_at: expect.stringMatching(ISO),
    });
    expect((await owner.request('GET', bundlePartnersUrl(bundle.id))).json().data).toEqual([created]);
  });

  it('answers 422 errors.partner_unique_id for a missing, unknown, own or duplicate partner', async () => {
    const owner = await createTenant('Produsen');
    const partner = await createTenant('Mitra');
    const bundle = await bundleOf(owner);
    const url = bundlePartnersUrl(bundle.id);
    expectValidation(await owner.request('POST', url), 'partner_unique_id');
    expectValidation(
      await owner.request('POST', url, { body: { partner_unique_id: 42 } }),
      'partner_unique_id',
    );
    expectValidation(
      await owner.request('POST', url, { body: { partner_unique_id: 'NOSUCHBUSINESS00' } }),
      'partner_unique_id',
    );
    expectValidation(
      await owner.request('POST', url, { body: { partner_unique_id: owner.business.unique_id } }),
      'partner_unique_id',
    );
    await addBundlePartner(owner, bundle.id, partner);
    expectValidation(
      await owner.request('POST', url, { body: { partner_unique_id: partner.business.unique_id } }),
      'partner_unique_id',
    );
  });

  it('requires bundle:update and answers 404 for another business’s bundle', async () => {
    const owner = await createTenant('Produsen');
    const partner = await createTenant('Mitra');
    const bundle = await bundleOf(owner);
    const body = { partner_unique_id: partner.business.unique_id };
    const key = await owner.restrictedKey(['bundle:list']);
    expectStatus(
      await owner.request('POST', bundlePartnersUrl(bundle.id), { body, key }),
      403,
      'insufficient_scope',
    );
    expectStatus(await partner.request('POST', bundlePartnersUrl(bundle.id), { body }), 404, 'not_found');
    expectValidation(await owner.request('POST', bundlePartnersUrl('bundle-1'), { body }), 'bundle_id');
    const writer = await owner.restrictedKey(['bundle:update']);
    expectStatus(await owner.request('POST', bundlePartnersUrl(bundle.id), { body, key: writer }), 200);
  });
});

describe('GET /v3/bundles/{bundle_id}/partners (listBundlePartners)', () => {
  it('pages by id, newest first, forwards and backwards, with page_size bounds', async () => {
    const owner = await createTenant('Produsen');
    const bundle = await bundleOf(owner);
    const created: number[] = [];
    for (let i = 0; i < 3; i++)
      created.push((await addBundlePartner(owner, bundle.id, await createTenant(`Mitra ${i}`))).id);
    const newestFirst = [...created].reverse();
    const url = bundlePartnersUrl(bundle.id);
    const ids = (body: { data: Array<{ id: number }> }) => body.data.map((row) => row.id);

    const first = (await owner.request('GET', url, { query: { page_size: 2 } })).json();
    expect(first).toMatchObject({ is_paginated: true, has_next: true, has_previous: false, page_size: 2 });
    expect(ids(first)).toEqual(newestFirst.slice(0, 2));
    const second = (
      await owner.request('GET', url, { query: { page_size: 2, next_cursor: first.next_cursor } })
    ).json();
    expect(ids(second)).toEqual(newestFirst.slice(2));
    expect(second).toMatchObject({ has_next: false, next_cursor: null, has_previous: true });
    const back = (
      await owner.request('GET', url, { query: { page_size: 2, previous_cursor: second.previous_cursor } })
    ).json();
    expect(ids(back)).toEqual(newestFirst.slice(0, 2));
    expect(back).toMatchObject({ has_previous: false, previous_cursor: null, has_next: true });

    expectValidation(await owner.request('GET', url, { query: { page_size: 0 } }), 'page_size');
    expectValidation(await owner.request('GET', url, { query: { page_size: 26 } }), 'page_size');
    expect((await owner.request('GET', url)).json()).toMatchObject({ page_size: 25, has_next: false });
  });

  it('requires bundle:list and answers 404 for another business’s bundle', async () => {
    const owner = await createTenant('Produsen');
    const bundle = await bundleOf(owner);
    const key = await owner.restrictedKey(['bundle:update']);
    expectStatus(
      await owner.request('GET', bundlePartnersUrl(bundle.id), { key }),
      403,
      'insufficient_scope',
    );
    const reader = await owner.restrictedKey(['bundle:list']);
    expectStatus(await owner.request('GET', bundlePartnersUrl(bundle.id), { key: reader }), 200);
    const stranger = await createTenant('Asing');
    expectStatus(await stranger.request('GET', bundlePartnersUrl(bundle.id)), 404, 'not_found');
  });
});

describe('DELETE /v3/bundles/{bundle_id}/partners/{id} (deleteBundlePartner)', () => {
  it('removes the partner and takes the bundle’s options off the partner’s stores only', async () => {
    const owner = await createTenant('Produsen');
    const partner = await createTenant('Mitra');
    const bundle = await bundleOf(owner);
    const other = await bundleOf(owner);
    const created = await addBundlePartner(owner, bundle.id, partner);
    await addBundlePartner(owner, other.id, partner);
    const [optionA, optionB] = bundle.priceOptions;
    await listPriceOption(owner, optionA!.id);
    await listPriceOption(partner, optionA!.id);
    await listPriceOption(partner, optionB!.id);
    await listPriceOption(partner, other.priceOptions[0]!.id);

    const res = await owner.request('DELETE', `${bundlePartnersUrl(bundle.id)}/${created.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect((await owner.request('GET', bundlePartnersUrl(bundle.id))).json().data).toEqual([]);
    expect(await storesListingOption(owner, optionA!.id)).toEqual([owner.store.id]);
    expect(await storesListingOption(owner, optionB!.id)).toEqual([]);
    expect(await storesListingOption(owner, other.priceOptions[0]!.id)).toEqual([partner.store.id]);
    expectStatus(
      await owner.request('DELETE', `${bundlePartnersUrl(bundle.id)}/${created.id}`),
      404,
      'not_found',
    );
  });

  it('answers 404 across bundles and businesses, 422 for a non-numeric id, 403 without scope', async () => {
    const owner = await createTenant('Produsen');
    const partner = await createTenant('Mitra');
    const bundle = await bundleOf(owner);
    const other = await bundleOf(owner);
    const created = await addBundlePartner(owner, bundle.id, partner);
    expectStatus(
      await owner.request('DELETE', `${bundlePartnersUrl(other.id)}/${created.id}`),
      404,
      'not_found',
    );
    expectStatus(
      await partner.request('DELETE', `${bundlePartnersUrl(bundle.id)}/${created.id}`),
      404,
      'not_found',
    );
    expectValidation(await owner.request('DELETE', `${bundlePartnersUrl(bundle.id)}/first`), 'id');
    const key = await owner.restrictedKey(['bundle:list']);
    expectStatus(
      await owner.request('DELETE', `${bundlePartnersUrl(bundle.id)}/${created.id}`, { key }),
      403,
      'insufficient_scope',
    );
    expect((await owner.request('GET', bundlePartnersUrl(bundle.id))).json().data).toHaveLength(1);
  });
});

describe('listSharedBundleIdsForBusiness', () => {
  it('lists partnered bundles while their owner shares them', async () => {
    const owner = await createTenant('Produsen');
    const partner = await createTenant('Mitra');
    const db = owner.ctx.database.db;
    const bundle = await bundleOf(owner);
    await bundleOf(owner);
    await addBundlePartner(owner, bundle.id, partner);
    expect(await listSharedBundleIdsForBusiness(db, partner.business.id)).toEqual([]);
    await db.updateTable('bundles').set({ is_bundle_sharing: true }).where('id', '=', bundle.id).execute();
    expect(await listSharedBundleIdsForBusiness(db, partner.business.id)).toEqual([bundle.id]);
    expect(await listSharedBundleIdsForBusiness(db, owner.business.id)).toEqual([]);
  });
});
