import { beforeAll, describe, expect, it } from 'vitest';
import { multipart, type Part } from '../../helpers/multipart.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import {
  BANDUNG,
  type CheckoutShop,
  checkoutShop,
  JNE_REG,
  orderCount,
  stockOf,
} from '../checkout/fixtures.ts';

let shop: CheckoutShop;

beforeAll(async () => {
  shop = await checkoutShop({ name: 'Toko Unggah', stock: 10 });
});

function upload(tenant: Tenant, csv: string, fields: Record<string, string>, key?: string) {
  const parts: Part[] = [
    ...Object.entries(fields).map(([name, data]) => ({ name, data })),
    { name: 'file', filename: 'orders.csv', contentType: 'text/csv', data: csv },
  ];
  const body = multipart(parts);
  return tenant.request('POST', '/v3/orders/upload', {
    body: body.payload,
    headers: { 'content-type': body.contentType },
    ...(key ? { key } : {}),
  });
}

const regular = { create_type: 'regular', tz: 'Asia/Jakarta' };

function regularCsv(): string {
  const store = shop.tenant.store.unique_id;
  const shirt = shop.shirt.variants[0]!.unique_id;
  const ebook = shop.ebook.variants[0]!.unique_id;
  return [
    'External ID,store_unique_id,Customer Name,customer_phone,address,location_id,courier_service_id,ordervariants,payment_status,status,tags',
    `UP-1,${store},Ani,0811111111,Jl. Braga 1,${BANDUNG},${JNE_REG},${shirt}:2,,,grosir;vip`,
    // No address for a parcel: a draft.
    `UP-2,${store},Budi,0812222222,,,,${shirt}:1,,,`,
    // A digital order, paid, asked to be confirmed.
    `UP-3,${store},Citra,,,,,${ebook},paid,confirmed,`,
    // Unknown variant: reported, the others imported.
    `UP-4,${store},Dewi,,,,,variant_tidakada:1,,,`,
    // No external id: keyed by its cells.
    `,${store},Eko,,,,,${ebook}:3,,,`,
  ].join('\n');
}

describe('uploadOrders', () => {
  it('imports the good rows by completeness, reports the bad one, and creates nothing twice on a re-run', async () => {
    const variantId = shop.shirt.variants[0]!.id;
    const before = await stockOf(shop.tenant, shop.warehouse.id, variantId);
    const response = await upload(shop.tenant, regularCsv(), regular);
    expect(response.statusCode, response.body).toBe(200);
    const report = response.json();
    const byExternal = Object.fromEntries(
      report.success.map((order: { external_id: string | null }) => [order.external_id ?? 'none', order]),
    );
    expect(Object.keys(byExternal).sort()).toEqual(['UP-1', 'UP-2', 'UP-3', 'none']);
    expect(byExternal['UP-1']).toMatchObject({ status: 'pending', payment_status: 'unpaid' });
    expect(byExternal['UP-2']).toMatchObject({ status: 'draft' });
    expect(byExternal['UP-3']).toMatchObject({ status: 'confirmed', payment_status: 'paid' });
    expect(Object.keys(report.failed)).toEqual(['UP-4']);
    expect(report.failed['UP-4']).toContain('ordervariants.0.variant_unique_id');
    expect(await stockOf(shop.tenant, shop.warehouse.id, variantId)).toBe(before - 3);
    const first = await shop.tenant.request('GET', `/v3/orders/${byExternal['UP-1'].id}`);
    expect(first.json()).toMatchObject({
      tags: ['grosir', 'vip'],
      external_id: 'UP-1',
      customer: { name: 'Ani' },
    });

    const count = await orderCount(shop.tenant);
    const again = await upload(shop.tenant, regularCsv(), regular);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().success).toEqual([]);
    expect(Object.keys(again.json().skipped).sort()).toEqual(['UP-1', 'UP-2', 'UP-3', 'row 6']);
    expect(again.json().skipped['UP-1']).toContain(byExternal['UP-1'].order_id);
    expect(Object.keys(again.json().failed)).toEqual(['UP-4']);
    expect(await orderCount(shop.tenant)).toBe(count);
    expect(await stockOf(shop.tenant, shop.warehouse.id, variantId)).toBe(before - 3);
  });

  it('archives history as completed, paid orders at their date without taking stock', async () => {
    const variantId = shop.shirt.variants[0]!.id;
    const before = await stockOf(shop.tenant, shop.warehouse.id, variantId);
    const csv = [
      'external_id,store_unique_id,customer_name,variant_unique_id,quantity,shipping_cost,date',
      `OLD-1,${shop.tenant.store.unique_id},Fajar,${shop.shirt.variants[0]!.unique_id},50,12000,2024-03-05 09:30`,
    ].join('\n');
    const response = await upload(shop.tenant, csv, { create_type: 'archive', tz: 'Asia/Jakarta' });
    expect(response.statusCode, response.body).toBe(200);
    const [order] = response.json().success;
    expect(order).toMatchObject({ status: 'completed', payment_status: 'paid', external_id: 'OLD-1' });
    const stored = (await shop.tenant.request('GET', `/v3/orders/${order.id}`)).json();
    // 09:30 in Jakarta (UTC+7).
    expect(stored).toMatchObject({
      completed_time: '2024-03-05T02:30:00.000Z',
      created_at: '2024-03-05T02:30:00.000Z',
      shipping_cost: '12000.00',
      product_price: '7500000.00',
    });
    expect(await stockOf(shop.tenant, shop.warehouse.id, variantId)).toBe(before);
  });

  it('answers 422 for a missing create_type or tz, a non-CSV file or a header without the required columns', async () => {
    const csv = regularCsv();
    const cases: Array<Record<string, string>> = [
      { tz: 'Asia/Jakarta' },
      { create_type: 'regular' },
      { create_type: 'regular', tz: 'Mars/Base' },
    ];
    for (const fields of cases) {
      const response = await upload(shop.tenant, csv, fields);
      expect(response.statusCode, response.body).toBe(422);
    }
    const headerless = await upload(shop.tenant, 'name,phone\nAni,0811\n', regular);
    expect(headerless.statusCode).toBe(422);
    expect(headerless.json().errors.file).toBeDefined();
    const binary = await upload(shop.tenant, '\u0000\u0001PK', regular);
    expect(binary.statusCode).toBe(422);
  });

  it("refuses a key without order:create, and another business's store per row", async () => {
    const key = await shop.tenant.restrictedKey(['order:list']);
    expect((await upload(shop.tenant, regularCsv(), regular, key)).statusCode).toBe(403);
    const other = await createTenant('Orang Lain');
    const csv = [
      'external_id,store_unique_id,customer_name,variant_unique_id',
      `X-1,${shop.tenant.store.unique_id},Gita,${shop.ebook.variants[0]!.unique_id}`,
    ].join('\n');
    const response = await upload(other, csv, regular);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json().success).toEqual([]);
    expect(response.json().failed['X-1']).toContain('store_unique_id');
  });

  it('creates each order once when two runs of one file race', async () => {
    const racing = await checkoutShop({ name: 'Toko Balapan', stock: 10 });
    const csv = [
      'external_id,store_unique_id,customer_name,variant_unique_id,quantity',
      ...[1, 2, 3, 4].map(
        (n) =>
          `RACE-${n},${racing.tenant.store.unique_id},Pembeli ${n},${racing.shirt.variants[0]!.unique_id},1`,
      ),
    ].join('\n');
    const [a, b] = await Promise.all([
      upload(racing.tenant, csv, regular),
      upload(racing.tenant, csv, regular),
    ]);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode, b.body).toBe(200);
    expect(a.json().success.length + b.json().success.length).toBe(4);
    expect(Object.keys(a.json().skipped).length + Object.keys(b.json().skipped).length).toBe(4);
    expect(await orderCount(racing.tenant)).toBe(4);
    expect(await stockOf(racing.tenant, racing.warehouse.id, racing.shirt.variants[0]!.id)).toBe(6);
  });
});
