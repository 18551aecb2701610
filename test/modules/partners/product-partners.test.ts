import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { listSharedProductIdsForBusiness } from '../../../src/modules/partners/queries.ts';
import { getTestContext } from '../../helpers/app.ts';
import { attachProductToStore, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  addProductPartner,
  expectStatus,
  expectValidation,
  ISO,
  partnerBusiness,
  patchPartnership,
  productPartnersUrl,
  storesListing,
} from './helpers.ts';

// Booting the worker's app can outlast a test's timeout on a busy machine; hooks get longer.
beforeAll(async () => {
  await getTestContext();
});

async function ownerAndPartner() {
  const owner = await createTenant('Produsen');
  const partner = await createTenant('Reseller');
  const product = await insertProduct(owner);
  return { owner, partner, product };
}

describe('POST /v3/products/{product_id}/partners (createProductPartner)', () => {
  it('adds an approved reseller partner and returns the exact ProductPartner shape', async () => {
    const { owner, partner, product } = await ownerAndPartner();
    const res = await owner.request('POST', productPartnersUrl(product.id), {
      body: { partner_unique_id: partner.business.unique_id },
    });
    expect(res.statusCode, res.body).toBe(200);
    const created = res.json();
    expect(created).toEqual({
      id: expect.any(Number),
      partner: partnerBusiness(partner),
      partnership_type: 'reseller',
      affiliate_status: 'approved',
      message_to_product_owner: null,
      requested_at: null,
      approved_at: expect.stringMatching(ISO),
      rejected_at: null,
      created_at: expect.stringMatching(ISO),
      store_id: null,
      custom_domains: [],
      affiliate_pro_domains: [],
      affiliate_pro_links: [],
    });
    const list = await owner.request('GET', productPartnersUrl(product.id));
    expect(list.json().data).toEqual([created]);
  });

  it('accepts a lower-case unique id and an explicit partnership_type', async () => {
    const { owner, partner, product } = await ownerAndPartner();
    const res = await owner.request('POST', productPartnersUrl(product.id), {
      body: {
        partner_unique_id: ` ${partner.business.unique_id.toLowerCase()} `,
        partnership_type: 'affiliate',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ partnership_type: 'affiliate', partner: { id: partner.business.id } });
  });

  it('answers 422 errors.partner_unique_id for a missing, unknown, own, inactive or duplicate partner', async () => {
    const { owner, partner, product } = await ownerAndPartner();
    const url = productPartnersUrl(product.id);
    expectValidation(await owner.request('POST', url), 'partner_unique_id');
    expectValidation(await owner.request('POST', url, { body: {} }), 'partner_unique_id');
    expectValidation(
      await owner.request('POST', url, { body: { partner_unique_id: '' } }),
      'partner_unique_id',
    );
    expectValidation(
      await owner.request('POST', url, { body: { partner_unique_id: 'X'.repeat(65) } }),
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
    expectValidation(
      await owner.request('POST', url, {
        body: { partner_unique_id: partner.business.unique_id, partnership_type: 'franchise' },
      }),
      'partnership_type',
    );
    const inactive = await createTenant('Nonaktif');
    await owner.ctx.database.db
      .updateTable('businesses')
      .set({ is_active: false })
      .where('id', '=', inactive.business.id)
      .execute();
    expectValidation(
      await owner.request('POST', url, { body: { partner_unique_id: inactive.business.unique_id } }),
      'partner_unique_id',
    );

    await addProductPartner(owner, product.id, partner);
    expectValidation(
      await owner.request('POST', url, {
        body: { partner_unique_id: partner.business.unique_id, partnership_type: 'affiliate' },
      }),
      'partner_unique_id',
    );
    const list = await owner.request('GET', url);
    expect(list.json().data).toHaveLength(1);
  });

  it('requires product:update and hides other businesses’ products', async () => {
    const { owner, partner, product } = await ownerAndPartner();
    const body = { partner_unique_id: partner.business.unique_id };
    const key = await owner.restrictedKey(['product:list']);
    expectStatus(
      await owner.request('POST', productPartnersUrl(product.id), { body, key }),
      403,
      'insufficient_scope',
    );
    const allowed = await owner.restrictedKey(['product:update']);
    expectStatus(await owner.request('POST', productPartnersUrl(product.id), { body, key: allowed }), 200);

    // The partner (or anyone else) cannot manage the owner's product partners.
    const other = await createTenant('Lain');
    expectStatus(
      await partner.request('POST', productPartnersUrl(product.id), {
        body: { partner_unique_id: other.business.unique_id },
      }),
      404,
      'not_found',
    );
    expectValidation(await owner.request('POST', productPartnersUrl('abc'), { body }), 'product_id');
    expectValidation(
      await owner.request('POST', productPartnersUrl('99999999999999999999'), { body }),
      'product_id',
    );
  });
});

describe('GET /v3/products/{product_id}/partners (listProductPartners)', () => {
  async function productWithPartners(count: number) {
    const owner = await createTenant('Produsen');
    const product = await insertProduct(owner);
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await addProductPartner(owner, product.id, await createTenant(`Mitra ${i}`))).id);
    }
    return { owner, product, newestFirst: ids.reverse() };
  }

  it('pages by id, newest first, forwards and backwards', async () => {
    const { owner, product, newestFirst } = await productWithPartners(5);
    const url = productPartnersUrl(product.id);
    const ids = (body: { data: Array<{ id: number }> }) => body.data.map((row) => row.id);

    const first = (await owner.request('GET', url, { query: { page_size: 2 } })).json();
    expect(first).toMatchObject({ is_paginated: true, has_next: true, has_previous: false, page_size: 2 });
    expect(first.previous_cursor).toBeNull();
    expect(ids(first)).toEqual(newestFirst.slice(0, 2));

    const second = (
      await owner.request('GET', url, { query: { page_size: 2, next_cursor: first.next_cursor } })
    ).json();
    expect(ids(second)).toEqual(newestFirst.slice(2, 4));
    expect(second).toMatchObject({ has_next: true, has_previous: true });

    const third = (
      await owner.request('GET', url, { query: { page_size: 2, next_cursor: second.next_cursor } })
    ).json();
    expect(ids(third)).toEqual(newestFirst.slice(4));
    expect(third).toMatchObject({ has_next: false, next_cursor: null, has_previous: true });

    const back = (
      await owner.request('GET', url, { query: { page_size: 2, previous_cursor: third.previous_cursor } })
    ).json();
    expect(ids(back)).toEqual(newestFirst.slice(2, 4));
    const start = (
      await owner.request('GET', url, { query: { page_size: 2, previous_cursor: back.previous_cursor } })
    ).json();
    expect(ids(start)).toEqual(newestFirst.slice(0, 2));
    expect(start).toMatchObject({ has_previous: false, has_next: true });

    const all = (await owner.request('GET', url)).json();
    expect(all.page_size).toBe(25);
    expect(ids(all)).toEqual(newestFirst);
  });

  it('bounds page_size to 1..25 and refuses cursors from another product', async () => {
    const { owner, product } = await productWithPartners(2);
    const url = productPartnersUrl(product.id);
    expectValidation(await owner.request('GET', url, { query: { page_size: 0 } }), 'page_size');
    expectValidation(await owner.request('GET', url, { query: { page_size: 26 } }), 'page_size');
    expectStatus(await owner.request('GET', url, { query: { page_size: 25 } }), 200);

    const cursor = (await owner.request('GET', url, { query: { page_size: 1 } })).json().next_cursor;
    const otherProduct = await insertProduct(owner);
    expectStatus(
      await owner.request('GET', productPartnersUrl(otherProduct.id), { query: { next_cursor: cursor } }),
      400,
      'invalid_cursor',
    );
    expectStatus(
      await owner.request('GET', url, { query: { next_cursor: 'forged.cursor' } }),
      400,
      'invalid_cursor',
    );
  });

  it('requires product:list and answers 404 for another business’s product', async () => {
    const { owner, product } = await productWithPartners(1);
    const key = await owner.restrictedKey(['product:update']);
    expectStatus(
      await owner.request('GET', productPartnersUrl(product.id), { key }),
      403,
      'insufficient_scope',
    );
    const reader = await owner.restrictedKey(['product:list']);
    expectStatus(await owner.request('GET', productPartnersUrl(product.id), { key: reader }), 200);
    const stranger = await createTenant('Asing');
    expectStatus(await stranger.request('GET', productPartnersUrl(product.id)), 404, 'not_found');
    expectValidation(await owner.request('GET', productPartnersUrl('x1')), 'product_id');
  });
});

describe('DELETE /v3/products/{product_id}/partners/{id} (deleteProductPartner)', () => {
  it('removes the partner and takes the product off the partner’s stores only', async () => {
    const { owner, partner, product } = await ownerAndPartner();
    const db = owner.ctx.database.db;
    const otherProduct = await insertProduct(owner);
    const secondStore = await createStore(db, partner.business.id, { name: 'Cabang' });
    const created = await addProductPartner(owner, product.id, partner);
    await addProductPartner(owner, otherProduct.id, partner);
    await attachProductToStore(owner, product.id);
    await attachProductToStore(partner, product.id);
    await attachProductToStore(partner, product.id, secondStore.id);
    await attachProductToStore(partner, otherProduct.id);

    const res = await owner.request('DELETE', `${productPartnersUrl(product.id)}/${created.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect((await owner.request('GET', productPartnersUrl(product.id))).json().data).toEqual([]);
    expect(await storesListing(owner, product.id)).toEqual([owner.store.id]);
    expect(await storesListing(owner, otherProduct.id)).toEqual([partner.store.id]);

    expectStatus(
      await owner.request('DELETE', `${productPartnersUrl(product.id)}/${created.id}`),
      404,
      'not_found',
    );
  });

  it('answers 404 for a partner of another product or business, 422 for a non-numeric id, 403 without scope', async () => {
    const { owner, partner, product } = await ownerAndPartner();
    const created = await addProductPartner(owner, product.id, partner);
    const otherProduct = await insertProduct(owner);
    expectStatus(
      await owner.request('DELETE', `${productPartnersUrl(otherProduct.id)}/${created.id}`),
      404,
      'not_found',
    );
    expectStatus(
      await partner.request('DELETE', `${productPartnersUrl(product.id)}/${created.id}`),
      404,
      'not_found',
    );
    expectValidation(await owner.request('DELETE', `${productPartnersUrl(product.id)}/abc`), 'id');
    const key = await owner.restrictedKey(['product:list']);
    expectStatus(
      await owner.request('DELETE', `${productPartnersUrl(product.id)}/${created.id}`, { key }),
      403,
      'insufficient_scope',
    );
    expect((await owner.request('GET', productPartnersUrl(product.id))).json().data).toHaveLength(1);
  });
});

describe('listSharedProductIdsForBusiness', () => {
  it('lists approved partnerships whose program is switched on', async () => {
    const owner = await createTenant('Produsen');
    const partner: Tenant = await createTenant('Mitra');
    const db = owner.ctx.database.db;
    const resold = await insertProduct(owner);
    const affiliated = await insertProduct(owner);
    await insertProduct(owner);
    await addProductPartner(owner, resold.id, partner, 'reseller');
    await addProductPartner(owner, affiliated.id, partner, 'affiliate');
    expect(await listSharedProductIdsForBusiness(db, partner.business.id)).toEqual([]);

    await patchPartnership(owner, resold.id, { is_product_sharing: true });
    expect(await listSharedProductIdsForBusiness(db, partner.business.id)).toEqual([resold.id]);
    // Switching the reseller program on for the affiliate's product gives the affiliate nothing.
    await patchPartnership(owner, affiliated.id, { is_product_sharing: true });
    expect(await listSharedProductIdsForBusiness(db, partner.business.id)).toEqual([resold.id]);
    await patchPartnership(owner, affiliated.id, {
      is_affiliate_enabled: true,
      affiliate_commission_rate: '10',
    });
    expect(await listSharedProductIdsForBusiness(db, partner.business.id)).toEqual([
      resold.id,
      affiliated.id,
    ]);
    expect(await listSharedProductIdsForBusiness(db, owner.business.id)).toEqual([]);
  });
});
