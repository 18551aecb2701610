import { describe, expect, it } from 'vitest';
import { attachProductToStore, insertWarehouse, setStock } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { addProductPartner, partnerBusiness, patchPartnership } from '../partners/helpers.ts';
import { createProduct, expectNotFound, ISO } from './helpers.ts';

interface Listed {
  id: number;
  business: { id: number };
  product_partners: Array<Record<string, unknown>> | null;
  variants: Array<{ id: number; available_qty: number | null; digital_product_files: unknown[] }>;
  affiliate_commission_rate: string | null;
}
interface Page {
  data: Listed[];
  has_next: boolean;
  has_previous: boolean;
  next_cursor: string | null;
  previous_cursor: string | null;
}

async function list(tenant: Tenant, query: Record<string, string | number> = {}, path = '/v3/products') {
  const res = await tenant.request('GET', path, { query });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page;
}

const ids = (page: Page) => page.data.map((p) => p.id);

/**
 * An owner sharing one product with the partner as a reseller (program on), one as an affiliate
 * whose program is off (not shared), and keeping one to itself; the partner has two of its own.
 */
async function partnership() {
  const owner = await createTenant('Produsen');
  const partner = await createTenant('Reseller');
  const mine1 = await createProduct(partner, { name: 'Kopi Reseller' });
  const resold = await createProduct(owner, { name: 'Kopi Gayo Produsen', is_inventory: true });
  const mine2 = await createProduct(partner, { name: 'Teh Reseller', item_type: 'digital' });
  const affiliated = await createProduct(owner, { name: 'Kopi Afiliasi' });
  const privateOne = await createProduct(owner, { name: 'Kopi Rahasia' });
  const partnerRow = await addProductPartner(owner, resold.id, partner, 'reseller');
  await addProductPartner(owner, affiliated.id, partner, 'affiliate');
  await patchPartnership(owner, resold.id, { is_product_sharing: true });
  return { owner, partner, mine1, mine2, resold, affiliated, privateOne, partnerRow };
}

describe('products shared with the business (is_owned)', () => {
  it('lists own and shared products together by default, each side alone with is_owned', async () => {
    const { owner, partner, mine1, mine2, resold, partnerRow } = await partnership();
    expect(ids(await list(partner))).toEqual([mine2.id, resold.id, mine1.id]);
    expect(ids(await list(partner, { is_owned: 'true' }))).toEqual([mine2.id, mine1.id]);
    expect(ids(await list(partner, { is_owned: 'false' }))).toEqual([resold.id]);
    expect(ids(await list(partner, {}, '/v3/products/simplified'))).toEqual([mine2.id, resold.id, mine1.id]);
    expect(ids(await list(partner, { is_owned: 'false' }, '/v3/products/simplified'))).toEqual([resold.id]);
    // The owner's own view is unchanged: nothing is shared with it.
    expect(ids(await list(owner, { is_owned: 'false' }))).toEqual([]);

    const count = async (query: Record<string, string>) =>
      (await partner.request('GET', '/v3/products/count', { query })).json();
    expect(await count({})).toEqual({ count: 3 });
    expect(await count({ is_owned: 'true' })).toEqual({ count: 2 });
    expect(await count({ is_owned: 'false' })).toEqual({ count: 1 });
    expect(await count({ is_owned: 'false', search: 'gayo' })).toEqual({ count: 1 });
    expect(await count({ search: 'reseller' })).toEqual({ count: 2 });

    const page = await list(partner);
    const shared = page.data.find((p) => p.id === resold.id)!;
    // The owner's business, and the partner's own partnership rows in the ProductPartner shape.
    expect(shared.business).toMatchObject({ id: owner.business.id, unique_id: owner.business.unique_id });
    expect(shared.product_partners).toEqual([
      {
        id: partnerRow.id,
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
      },
    ]);
    expect(page.data.find((p) => p.id === mine1.id)!.product_partners).toBeNull();
  });

  it('stops listing a product when its program is switched off', async () => {
    const { owner, partner, mine1, mine2, resold, affiliated } = await partnership();
    await patchPartnership(owner, affiliated.id, {
      is_affiliate_enabled: true,
      affiliate_commission_rate: '10',
    });
    expect(ids(await list(partner, { is_owned: 'false' }))).toEqual([affiliated.id, resold.id]);
    await patchPartnership(owner, resold.id, { is_product_sharing: false });
    expect(ids(await list(partner))).toEqual([affiliated.id, mine2.id, mine1.id]);
    expectNotFound(await partner.request('GET', `/v3/products/${resold.id}`));
  });

  it('pages forwards and backwards across own and shared products', async () => {
    const owner = await createTenant('Produsen');
    const partner = await createTenant('Reseller');
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) {
      expected.unshift((await createProduct(partner, { name: `Milik ${i}` })).id);
      const shared = await createProduct(owner, { name: `Titipan ${i}` });
      await addProductPartner(owner, shared.id, partner);
      await patchPartnership(owner, shared.id, { is_product_sharing: true });
      expected.unshift(shared.id);
    }
    const forward: number[] = [];
    const pages: Page[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(partner, { page_size: 2, ...(cursor ? { next_cursor: cursor } : {}) });
      expect(page.has_previous).toBe(pages.length > 0);
      pages.push(page);
      forward.push(...ids(page));
      cursor = page.next_cursor;
    } while (cursor);
    expect(forward).toEqual(expected);
    expect(pages).toHaveLength(3);

    const backward: number[] = [...ids(pages[2]!)];
    let previous = pages[2]!.previous_cursor;
    while (previous) {
      const page = await list(partner, { page_size: 2, previous_cursor: previous });
      expect(page.has_next).toBe(true);
      backward.unshift(...ids(page));
      previous = page.previous_cursor;
    }
    expect(backward).toEqual(expected);

    // A cursor is bound to the ownership it was made for.
    const owned = await list(partner, { page_size: 1, is_owned: 'true' });
    const res = await partner.request('GET', '/v3/products', {
      query: { is_owned: 'false', next_cursor: owned.next_cursor! },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error_code).toBe('invalid_cursor');
  });

  it("applies filters to shared products; store and warehouse filters are the caller's", async () => {
    const { owner, partner, mine1, mine2, resold } = await partnership();
    const ownerWarehouse = await insertWarehouse(owner);
    const resoldVariant = (await list(partner, { is_owned: 'false' })).data[0]!.variants[0]!;
    await setStock(owner, ownerWarehouse.id, resoldVariant.id, 7);
    const mineWarehouse = await insertWarehouse(partner);

    expect(ids(await list(partner, { search: 'gayo' }))).toEqual([resold.id]);
    expect(ids(await list(partner, { item_type: 'digital' }))).toEqual([mine2.id]);
    expect(ids(await list(partner, { is_inventory: 'true' }))).toEqual([resold.id]);
    // Shared stock counts: the partner sells from the owner's warehouses.
    expect(ids(await list(partner, { qty_type: 'available_qty', is_owned: 'false' }))).toEqual([resold.id]);
    expect((await list(partner, { is_owned: 'false' })).data[0]!.variants[0]!.available_qty).toBe(7);
    // Another business's warehouse or store matches nothing, even the products it shares.
    expect(ids(await list(partner, { warehouse_id: ownerWarehouse.id }))).toEqual([]);
    expect(ids(await list(partner, { warehouse_id: mineWarehouse.id }))).toEqual([]);
    await attachProductToStore(owner, resold.id);
    expect(ids(await list(partner, { store_id: owner.store.id }))).toEqual([]);
    // Listed in the partner's own store, a shared product matches the partner's store filter.
    await attachProductToStore(partner, resold.id);
    await attachProductToStore(partner, mine1.id);
    expect(ids(await list(partner, { store_id: partner.store.id }))).toEqual([resold.id, mine1.id]);
    const simplified = await partner.request('GET', '/v3/products/simplified', {
      query: { for_store_id: partner.store.id },
    });
    const marks = Object.fromEntries(
      (simplified.json().data as Array<{ id: number; is_owned_by_store: boolean }>).map((p) => [
        p.id,
        p.is_owned_by_store,
      ]),
    );
    expect(marks).toEqual({ [mine2.id]: false, [resold.id]: true, [mine1.id]: true });
  });

  it('lets the partner read a shared product, and nothing more', async () => {
    const { owner, partner, resold, privateOne, affiliated, partnerRow } = await partnership();
    const mine = await partner.request('GET', `/v3/products/${resold.id}`);
    expect(mine.statusCode, mine.body).toBe(200);
    const product = mine.json();
    expect(product).toMatchObject({
      id: resold.id,
      name: 'Kopi Gayo Produsen',
      business: { id: owner.business.id },
      product_partners: [{ id: partnerRow.id, partnership_type: 'reseller' }],
      stores: [],
      warehouses: [],
    });
    expect(Object.keys(product).sort()).toEqual(Object.keys(resold).sort());
    expect((await partner.request('GET', `/v3/products/${resold.uuid}`)).statusCode).toBe(200);
    // The owner's own view of it has no partner rows: it is the owner's product.
    expect((await owner.request('GET', `/v3/products/${resold.id}`)).json().product_partners).toBeNull();

    for (const id of [privateOne.id, affiliated.id]) {
      expectNotFound(await partner.request('GET', `/v3/products/${id}`));
    }
    expectNotFound(
      await partner.request('PATCH', `/v3/products/${resold.id}`, {
        body: { name: 'Ambil alih', item_type: 'physical' },
      }),
    );
    expectNotFound(await partner.request('DELETE', `/v3/products/${resold.id}`));
    expectNotFound(await partner.request('POST', `/v3/products/${resold.id}/duplicate`));
    expectNotFound(await partner.request('GET', `/v3/products/${resold.id}/relations`));
    expectNotFound(await partner.request('GET', `/v3/variants/${resold.variants[0].id}`));
  });

  it("never shows the partner a shared product's digital files", async () => {
    const { owner, partner, resold } = await partnership();
    const variantId = resold.variants[0].id;
    const file = await owner.request('POST', `/v3/variants/${variantId}/digital-product-files`, {
      body: { name: 'ebook.pdf', content_type: 'application/pdf', size_in_bytes: 10 },
    });
    expect(file.statusCode, file.body).toBe(200);
    const ownerView = (await owner.request('GET', `/v3/products/${resold.id}`)).json();
    expect(ownerView.variants[0].digital_product_files).toHaveLength(1);
    const partnerView = (await partner.request('GET', `/v3/products/${resold.id}`)).json();
    expect(partnerView.variants[0].digital_product_files).toEqual([]);
    const listed = await list(partner, { is_owned: 'false' });
    expect(listed.data[0]!.variants[0]!.digital_product_files).toEqual([]);
  });
});

describe('commission rates', () => {
  it('are written like the partnership settings write them, everywhere', async () => {
    const { owner, partner, resold } = await partnership();
    const settings = await patchPartnership(owner, resold.id, {
      is_affiliate_enabled: true,
      affiliate_commission_rate: '12.5',
      affiliate_pro_commission_rate: '7',
    });
    expect(settings).toMatchObject({
      affiliate_commission_rate: '12.50',
      affiliate_pro_commission_rate: '7.00',
    });
    const rates = { affiliate_commission_rate: '12.50', affiliate_pro_commission_rate: '7.00' };
    expect((await owner.request('GET', `/v3/products/${resold.id}`)).json()).toMatchObject(rates);
    expect((await list(owner)).data.find((p) => p.id === resold.id)).toMatchObject(rates);
    expect((await partner.request('GET', `/v3/products/${resold.id}`)).json()).toMatchObject(rates);
    await patchPartnership(owner, resold.id, { affiliate_commission_rate: '12.3456' });
    expect((await owner.request('GET', `/v3/products/${resold.id}`)).json().affiliate_commission_rate).toBe(
      '12.3456',
    );
  });
});
