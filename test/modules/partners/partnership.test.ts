import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { getTestContext } from '../../helpers/app.ts';
import { attachProductToStore, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  addProductPartner,
  checkChangesUrl,
  expectStatus,
  expectValidation,
  ISO,
  partnerBusiness,
  partnershipUrl,
  patchPartnership,
  productPartnersUrl,
  storesListing,
} from './helpers.ts';

// Booting the worker's app can outlast a test's timeout on a busy machine; hooks get longer.
beforeAll(async () => {
  await getTestContext();
});

const SETTINGS_OFF = {
  is_product_sharing: false,
  is_affiliate_enabled: false,
  is_affiliate_auto_accept: false,
  is_affiliate_pro_enabled: false,
  affiliate_commission_rate: null,
  affiliate_pro_commission_rate: null,
  partnership_sales_letter: null,
};

async function productSettings(tenant: Tenant, productId: number) {
  return tenant.ctx.database.db
    .selectFrom('products')
    .select([
      'is_product_sharing',
      'is_affiliate_enabled',
      'is_affiliate_auto_accept',
      'is_affiliate_pro_enabled',
      'affiliate_commission_rate',
      'affiliate_pro_commission_rate',
      'partnership_sales_letter',
      'last_updated_at',
    ])
    .where('id', '=', productId)
    .executeTakeFirstOrThrow();
}

describe('PATCH /v3/products/{product_id}/partnership (updateProductPartnership)', () => {
  it('updates every setting and returns the exact ProductPartnership shape', async () => {
    const owner = await createTenant('Produsen');
    const product = await insertProduct(owner, { name: 'Kopi Gayo' });
    const res = await owner.request('PATCH', partnershipUrl(product.id), {
      body: {
        is_product_sharing: true,
        is_affiliate_enabled: true,
        is_affiliate_auto_accept: true,
        is_affiliate_pro_enabled: true,
        affiliate_commission_rate: '12.5',
        affiliate_pro_commission_rate: 7,
        partnership_sales_letter: 'Jual kopi terbaik',
        unknown_field: 'ignored',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      id: product.id,
      name: 'Kopi Gayo',
      is_product_sharing: true,
      is_affiliate_enabled: true,
      is_affiliate_auto_accept: true,
      is_affiliate_pro_enabled: true,
      affiliate_commission_rate: '12.50',
      affiliate_pro_commission_rate: '7.00',
      partnership_sales_letter: 'Jual kopi terbaik',
      last_updated_at: expect.stringMatching(ISO),
      last_updated_by: { id: owner.owner.id, name: owner.owner.name, email: owner.owner.email },
    });
    expect(await productSettings(owner, product.id)).toMatchObject({
      is_product_sharing: true,
      affiliate_commission_rate: '12.5000',
      affiliate_pro_commission_rate: '7.0000',
    });

    // Fields left out keep their value; null clears a rate once its program is off.
    const next = await patchPartnership(owner, product.id, {
      is_affiliate_pro_enabled: false,
      affiliate_pro_commission_rate: null,
      affiliate_commission_rate: '100',
    });
    expect(next).toMatchObject({
      is_product_sharing: true,
      is_affiliate_enabled: true,
      is_affiliate_pro_enabled: false,
      affiliate_commission_rate: '100.00',
      affiliate_pro_commission_rate: null,
      partnership_sales_letter: 'Jual kopi terbaik',
    });
    // An empty body (or none) changes nothing.
    expect(await patchPartnership(owner, product.id, {})).toEqual(next);
    const bare = await owner.request('PATCH', partnershipUrl(product.id));
    expect(bare.statusCode, bare.body).toBe(200);
    expect(bare.json()).toEqual(next);
  });

  it('answers 422 for invalid fields and leaves the product unchanged', async () => {
    const owner = await createTenant('Produsen');
    const product = await insertProduct(owner);
    const url = partnershipUrl(product.id);
    const before = await productSettings(owner, product.id);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ affiliate_commission_rate: '100.01' }, 'affiliate_commission_rate'],
      [{ affiliate_commission_rate: '-1' }, 'affiliate_commission_rate'],
      [{ affiliate_commission_rate: 'abc' }, 'affiliate_commission_rate'],
      [{ affiliate_pro_commission_rate: '1.23456' }, 'affiliate_pro_commission_rate'],
      [{ is_affiliate_enabled: true }, 'affiliate_commission_rate'],
      [
        { is_affiliate_pro_enabled: true, affiliate_pro_commission_rate: null },
        'affiliate_pro_commission_rate',
      ],
      [{ is_product_sharing: 'maybe' }, 'is_product_sharing'],
      [{ partnership_sales_letter: 'x'.repeat(50_001) }, 'partnership_sales_letter'],
    ];
    for (const [body, field] of cases) expectValidation(await owner.request('PATCH', url, { body }), field);
    expect(await productSettings(owner, product.id)).toEqual(before);
  });

  it('requires product:update, answers 404 for another business’s product and 422 for a non-numeric id', async () => {
    const owner = await createTenant('Produsen');
    const product = await insertProduct(owner);
    const body = { is_product_sharing: true };
    const key = await owner.restrictedKey(['product:list', 'product:read']);
    expectStatus(
      await owner.request('PATCH', partnershipUrl(product.id), { body, key }),
      403,
      'insufficient_scope',
    );
    const stranger = await createTenant('Asing');
    expectStatus(await stranger.request('PATCH', partnershipUrl(product.id), { body }), 404, 'not_found');
    expectValidation(await owner.request('PATCH', partnershipUrl('abc'), { body }), 'product_id');
    expect((await productSettings(owner, product.id)).is_product_sharing).toBe(false);
    const writer = await owner.restrictedKey(['product:update']);
    expectStatus(await owner.request('PATCH', partnershipUrl(product.id), { body, key: writer }), 200);
  });

  it('switching a program off takes the product off that program’s partner stores, and keeps the partners', async () => {
    const owner = await createTenant('Produsen');
    const reseller = await createTenant('Reseller');
    const affiliate = await createTenant('Afiliasi');
    const product = await insertProduct(owner);
    await patchPartnership(owner, product.id, {
      is_product_sharing: true,
      is_affiliate_enabled: true,
      affiliate_commission_rate: '10',
    });
    await addProductPartner(owner, product.id, reseller, 'reseller');
    await addProductPartner(owner, product.id, affiliate, 'affiliate');
    await attachProductToStore(owner, product.id);
    await attachProductToStore(reseller, product.id);
    await attachProductToStore(affiliate, product.id);

    await patchPartnership(owner, product.id, { is_product_sharing: false });
    expect(await storesListing(owner, product.id)).toEqual(
      [owner.store.id, affiliate.store.id].sort((a, b) => a - b),
    );
    const partners = (await owner.request('GET', productPartnersUrl(product.id))).json().data;
    expect(partners.map((p: { partner: { id: number } }) => p.partner.id).sort()).toEqual(
      [reseller.business.id, affiliate.business.id].sort(),
    );
  });
});

describe('POST /v3/products/{product_id}/partnership/check-changes (checkProductPartnershipChanges)', () => {
  async function sharedProduct() {
    const owner = await createTenant('Produsen');
    const resellerA = await createTenant('Reseller A');
    const resellerB = await createTenant('Reseller B');
    const affiliate = await createTenant('Afiliasi');
    const pro = await createTenant('Pro');
    const product = await insertProduct(owner);
    await patchPartnership(owner, product.id, {
      is_product_sharing: true,
      is_affiliate_enabled: true,
      affiliate_commission_rate: '10',
    });
    const a = await addProductPartner(owner, product.id, resellerA, 'reseller');
    const b = await addProductPartner(owner, product.id, resellerB, 'reseller');
    const aff = await addProductPartner(owner, product.id, affiliate, 'affiliate');
    const proPartner = await addProductPartner(owner, product.id, pro, 'affiliate_pro');
    const branch = await createStore(owner.ctx.database.db, resellerA.business.id, { name: 'Cabang A' });
    await attachProductToStore(owner, product.id);
    await attachProductToStore(resellerA, product.id);
    await attachProductToStore(resellerA, product.id, branch.id);
    await attachProductToStore(affiliate, product.id);
    return { owner, resellerA, resellerB, affiliate, pro, product, branch, ids: { a, b, aff, proPartner } };
  }

  it('reports who loses and gains access and which partner stores lose the product, changing nothing', async () => {
    const s = await sharedProduct();
    const { owner, product } = s;
    const settingsBefore = await productSettings(owner, product.id);
    const listingsBefore = await storesListing(owner, product.id);
    const partnersBefore = (await owner.request('GET', productPartnersUrl(product.id))).json();

    const res = await owner.request('POST', checkChangesUrl(product.id), {
      body: { is_product_sharing: false, is_affiliate_pro_enabled: true, affiliate_pro_commission_rate: '5' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const current = {
      ...SETTINGS_OFF,
      is_product_sharing: true,
      is_affiliate_enabled: true,
      affiliate_commission_rate: '10.00',
    };
    expect(res.json()).toEqual({
      product_id: product.id,
      changed_fields: ['is_product_sharing', 'is_affiliate_pro_enabled', 'affiliate_pro_commission_rate'],
      current,
      proposed: {
        ...current,
        is_product_sharing: false,
        is_affiliate_pro_enabled: true,
        affiliate_pro_commission_rate: '5.00',
      },
      partners_losing_access: {
        count: 2,
        data: [
          {
            id: s.ids.b.id,
            partnership_type: 'reseller',
            affiliate_status: 'approved',
            partner: partnerBusiness(s.resellerB),
          },
          {
            id: s.ids.a.id,
            partnership_type: 'reseller',
            affiliate_status: 'approved',
            partner: partnerBusiness(s.resellerA),
          },
        ],
      },
      partners_gaining_access: {
        count: 1,
        data: [
          {
            id: s.ids.proPartner.id,
            partnership_type: 'affiliate_pro',
            affiliate_status: 'approved',
            partner: partnerBusiness(s.pro),
          },
        ],
      },
      partner_store_listings_to_remove: {
        count: 2,
        data: [
          {
            id: s.branch.id,
            unique_id: s.branch.unique_id,
            name: s.branch.name,
            business_id: s.resellerA.business.id,
          },
          {
            id: s.resellerA.store.id,
            unique_id: s.resellerA.store.unique_id,
            name: s.resellerA.store.name,
            business_id: s.resellerA.business.id,
          },
        ],
      },
      has_impact: true,
    });

    expect(await productSettings(owner, product.id)).toEqual(settingsBefore);
    expect(await storesListing(owner, product.id)).toEqual(listingsBefore);
    expect((await owner.request('GET', productPartnersUrl(product.id))).json()).toEqual(partnersBefore);

    // Applying the same change does what the check announced.
    await patchPartnership(owner, product.id, {
      is_product_sharing: false,
      is_affiliate_pro_enabled: true,
      affiliate_pro_commission_rate: '5',
    });
    expect(await storesListing(owner, product.id)).toEqual(
      [owner.store.id, s.affiliate.store.id].sort((x, y) => x - y),
    );
  });

  it('reports no impact for a change that keeps every program as it is', async () => {
    const { owner, product } = await sharedProduct();
    const res = await owner.request('POST', checkChangesUrl(product.id), {
      body: { partnership_sales_letter: 'Baru', is_product_sharing: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      changed_fields: ['partnership_sales_letter'],
      partners_losing_access: { count: 0, data: [] },
      partners_gaining_access: { count: 0, data: [] },
      partner_store_listings_to_remove: { count: 0, data: [] },
      has_impact: false,
    });
    const empty = await owner.request('POST', checkChangesUrl(product.id));
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ changed_fields: [], has_impact: false });
    expect((await productSettings(owner, product.id)).partnership_sales_letter).toBeNull();
  });

  it('validates like the update, requires product:update and answers 404 for another business’s product', async () => {
    const { owner, product } = await sharedProduct();
    const url = checkChangesUrl(product.id);
    expectValidation(
      await owner.request('POST', url, { body: { affiliate_commission_rate: '250' } }),
      'affiliate_commission_rate',
    );
    expectValidation(
      await owner.request('POST', url, { body: { affiliate_commission_rate: null } }),
      'affiliate_commission_rate',
    );
    expectValidation(
      await owner.request('POST', url, { body: { is_affiliate_enabled: 'no-way' } }),
      'is_affiliate_enabled',
    );
    const key = await owner.restrictedKey(['product:list']);
    expectStatus(await owner.request('POST', url, { body: {}, key }), 403, 'insufficient_scope');
    const stranger = await createTenant('Asing');
    expectStatus(await stranger.request('POST', url, { body: {} }), 404, 'not_found');
    expectValidation(await owner.request('POST', checkChangesUrl('abc'), { body: {} }), 'product_id');
  });
});
