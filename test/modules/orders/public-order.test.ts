import Fastify from 'fastify';
import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import '../../../src/modules/courses/tables.ts';
import '../../../src/modules/stores/tables.ts';
import type { Db } from '../../../src/db/database.ts';
import { randomString } from '../../../src/lib/ids.ts';
import {
  findOrderById,
  findOrderBySecretSlug,
  type OrderRecord,
  toPublicOrder,
} from '../../../src/modules/orders/create.ts';
import { PublicOrderSchema } from '../../../src/modules/orders/schemas.ts';
import { insertBundle, insertProduct } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, ISO, placeOrder, variantLine } from './fixtures.ts';

const PUBLIC_URL = 'http://nexus.test';

/** Keys that must never reach a buyer, at any depth. */
const FORBIDDEN_KEYS = [
  'cogs',
  'cogs_bt',
  'net_revenue',
  'service_fee',
  'product_price_bt',
  'unit_price_bt',
  'tax_rate',
  'scalev_fee',
  'payment_fee',
  'net_payment_revenue',
  'business_id',
  'store_id',
  'warehouse_id',
  'warehouse',
  'page_id',
  'handler_user_id',
  'handler',
  'advertiser',
  'affiliate',
  'client_ip',
  'ip',
  'user_agent',
  'metadata',
  'components',
  'sku',
  'discount_code_id',
  'payment_account_id',
  'actor_user_id',
  'pg_reference_id',
];

function allKeys(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) allKeys(item, into);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      into.add(key);
      // pg_payment_info is the gateway's own buyer-facing payload.
      if (key !== 'pg_payment_info') allKeys(item, into);
    }
  }
  return into;
}

async function richOrder(tenant: Tenant) {
  const db = tenant.ctx.database.db;
  const product = await insertProduct(tenant, {
    name: 'Kaos Polos',
    variants: [{ price: '150000', option1_value: 'L' }],
  });
  const variant = product.variants[0]!;
  await db
    .updateTable('variants')
    .set({ cogs: '50000', cogs_bt: '50000' })
    .where('id', '=', variant.id)
    .execute();
  const bundle = await insertBundle(tenant, [{ variantId: variant.id, quantity: 2 }], [{ price: '280000' }]);
  const option = bundle.priceOptions[0]!;
  await db
    .insertInto('payment_accounts')
    .values({
      business_id: tenant.business.id,
      unique_id: `pa_${randomString(24)}`,
      financial_entity_id: 1,
      account_number: '8001234567',
      account_holder: 'PT Toko Test',
    })
    .execute();
  const page = await db
    .insertInto('pages')
    .values({
      business_id: tenant.business.id,
      store_id: tenant.store.id,
      unique_id: `page_${randomString(16).toLowerCase()}`,
      name: 'Promo Lebaran',
    })
    .returning(['id', 'unique_id'])
    .executeTakeFirstOrThrow();
  const customer = await db
    .insertInto('customers')
    .values({ business_id: tenant.business.id, store_id: tenant.store.id, name: 'Budi Santoso' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const draft = draftFor(
    tenant,
    [
      variantLine(variant, 1, { name: 'Kaos Polos - L', isInventory: false }),
      {
        variant_id: null,
        bundle_price_option_id: option.id,
        name: 'Paket Berdua',
        unit_price: '280000',
        quantity: 2,
        weight_grams: 1000,
        item_type: 'physical',
        stock: [{ variant_id: variant.id, quantity: 2, is_inventory: false }],
      },
    ],
    {
      source: 'page',
      pageId: page.id,
      customerId: customer.id,
      courierServiceId: 12,
      courierService: { id: 12, code: 'REG', name: 'JNE Reguler', courier: { code: 'jne', name: 'JNE' } },
      discountCodeId: 5,
      discountCode: 'HEMAT10',
      notes: 'Kirim sore',
      paymentExpiresAt: new Date('2030-05-06T07:08:09.000Z'),
      paymentAccount: { bank: 'BCA', account_number: '8001234567', account_holder: 'PT Toko Test' },
      totals: {
        product_price: '710000',
        product_discount: '10000',
        shipping_cost: '19000',
        shipping_discount: '5000',
        discount_code_discount: '71000',
        unique_code_discount: '276',
        other_income: '2500',
        other_income_name: 'Biaya layanan',
        service_fee: '0',
        gross_revenue: '645224',
        net_revenue: '709724',
      },
    },
  );
  const created = await placeOrder(db, draft);
  return { created, draft, variant, option, page, customerId: customer.id };
}

describe('findOrderBySecretSlug + toPublicOrder', () => {
  it('shows the buyer exactly the public order', async () => {
    const tenant = await createTenant();
    const { created, draft, variant, option, page, customerId } = await richOrder(tenant);
    const record = await findOrderBySecretSlug(tenant.ctx.database.db, tenant.store.id, created.secret_slug);
    expect(record).toBeDefined();
    const view = toPublicOrder(record!, { publicUrl: PUBLIC_URL, storeUniqueId: tenant.store.unique_id });
    const orderUrl = `${PUBLIC_URL}/o/${created.secret_slug}`;
    const email = draft.customer.email.toLowerCase();
    const business = await tenant.ctx.database.db
      .selectFrom('businesses')
      .select('email')
      .where('id', '=', tenant.business.id)
      .executeTakeFirstOrThrow();

    expect(view).toEqual({
      id: created.id,
      business: {
        unique_id: tenant.business.unique_id,
        username: tenant.business.username,
        account_holder: tenant.business.account_holder,
        email: business.email,
        logo: null,
      },
      secret_slug: created.secret_slug,
      public_order_url: orderUrl,
      payment_url: `${orderUrl}/pay`,
      redirect_url: `${orderUrl}/success`,
      order_id: created.order_id,
      status: 'pending',
      payment_status: 'unpaid',
      is_probably_spam: false,
      draft_time: expect.stringMatching(ISO),
      paid_time: null,
      transfer_time: null,
      transferproof_url: null,
      handler_phone: null,
      chat_message: `Halo, saya Budi Santoso ingin menanyakan pesanan ${created.order_id}.`,
      customer_id: customerId,
      discount_code_code: 'HEMAT10',
      page: { unique_id: page.unique_id, name: 'Promo Lebaran' },
      gross_revenue: '645224.00',
      product_price: '710000.00',
      product_discount: '10000.00',
      shipping_cost: '19000.00',
      shipping_discount: '5000.00',
      other_income: '2500.00',
      other_income_name: 'Biaya layanan',
      unique_code_discount: '276.00',
      discount_code_discount: '71000.00',
      pg_payment_info: {},
      status_history: [{ status: 'pending', time: view.draft_time, by: 'customer' }],
      payment_method: 'bank_transfer',
      sub_payment_method: null,
      epayment_provider: null,
      payment_account_holder: 'PT Toko Test',
      payment_account_number: '8001234567',
      shipment_status_history: [],
      shipment_receipt: null,
      courier_service: { id: 12, code: 'REG', name: 'JNE Reguler', courier: { code: 'jne', name: 'JNE' } },
      variants: { [String(variant.id)]: 1 },
      bundle_price_options: { [String(option.id)]: 2 },
      orderlines: [
        {
          variant_id: variant.id,
          bundle_price_option_id: null,
          item_type: 'physical',
          name: 'Kaos Polos - L',
          product_name: 'Kaos Polos',
          variant_option1_value: 'L',
          variant_option2_value: null,
          variant_option3_value: null,
          quantity: 1,
          variant_price: '150000.00',
          product_price: '150000.00',
          weight: 500,
        },
        {
          variant_id: null,
          bundle_price_option_id: option.id,
          item_type: 'physical',
          name: 'Paket Berdua',
          product_name: null,
          variant_option1_value: null,
          variant_option2_value: null,
          variant_option3_value: null,
          quantity: 2,
          variant_price: '280000.00',
          product_price: '560000.00',
          weight: 1000,
        },
      ],
      payment_expiration_at: '2030-05-06T07:08:09.000Z',
      store_custom_domain: null,
      store: {
        unique_id: tenant.store.unique_id,
        name: tenant.store.name,
        logo: null,
        is_transferproof_required: false,
        payment_accounts: [
          {
            unique_id: expect.stringMatching(/^pa_/),
            account_number: '8001234567',
            account_holder: 'PT Toko Test',
            financial_entity: { id: 1, code: 'BCA', name: 'Bank Central Asia', entity_type: 'bank' },
          },
        ],
      },
      destination_address: {
        name: 'Budi Santoso',
        phone: '081234567890',
        email,
        address: 'Jl. Merdeka No. 1',
        province: 'DKI Jakarta',
        city: 'Kota Jakarta Pusat',
        subdistrict: 'Gambir',
        postal_code: '10110',
        location_id: 317105,
      },
      customer: { id: customerId, name: 'Budi Santoso', email, phone: '081234567890' },
    });
  });

  it('never leaks costs, revenue splits or internal ids', async () => {
    const tenant = await createTenant();
    const { created } = await richOrder(tenant);
    const record = await findOrderBySecretSlug(tenant.ctx.database.db, tenant.store.id, created.secret_slug);
    const view = toPublicOrder(record!, { publicUrl: PUBLIC_URL, storeUniqueId: tenant.store.unique_id });
    const keys = allKeys(view);
    for (const key of FORBIDDEN_KEYS) expect(keys.has(key), key).toBe(false);
    expect(JSON.stringify(view)).not.toContain('"250000.00"'); // the order's cogs
  });

  it('serializes through the route schema without losing a field', async () => {
    const tenant = await createTenant();
    const { created } = await richOrder(tenant);
    const record = await findOrderBySecretSlug(tenant.ctx.database.db, tenant.store.id, created.secret_slug);
    const view = toPublicOrder(record!, { publicUrl: PUBLIC_URL, storeUniqueId: tenant.store.unique_id });
    const app = Fastify();
    app.get('/order', { schema: { response: { 200: PublicOrderSchema } } }, async () => ({
      ...view,
      pg_payment_info: { qr_string: 'QR', actions: [{ url_type: 'WEB', url: 'https://pay.test' }] },
      cogs: '1.00',
    }));
    const response = await app.inject({ method: 'GET', url: '/order' });
    await app.close();
    expect(response.json()).toEqual({
      ...view,
      pg_payment_info: { qr_string: 'QR', actions: [{ url_type: 'WEB', url: 'https://pay.test' }] },
    });
  });

  it('loads an order in three queries', async () => {
    const tenant = await createTenant();
    const { created } = await richOrder(tenant);
    let queries = 0;
    const counter: KyselyPlugin = {
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const counted = tenant.ctx.database.db.withPlugin(counter) as Db;
    await findOrderBySecretSlug(counted, tenant.store.id, created.secret_slug);
    expect(queries).toBe(3);
  });

  it("finds nothing for another store's slug, an unknown slug or junk", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const { created } = await richOrder(tenant);
    const db = tenant.ctx.database.db;
    expect(await findOrderBySecretSlug(db, other.store.id, created.secret_slug)).toBeUndefined();
    expect(
      await findOrderBySecretSlug(db, tenant.store.id, `${created.secret_slug.slice(0, -1)}_`),
    ).toBeUndefined();
    expect(await findOrderBySecretSlug(db, tenant.store.id, 'x'.repeat(5000))).toBeUndefined();
    expect(await findOrderBySecretSlug(db, tenant.store.id, '')).toBeUndefined();
  });

  it('finds by id only within the business', async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const { created } = await richOrder(tenant);
    const db = tenant.ctx.database.db;
    const record = (await findOrderById(db, tenant.business.id, created.id.toUpperCase())) as OrderRecord;
    expect(record.order.order_id).toBe(created.order_id);
    expect(record.lines).toHaveLength(2);
    expect(record.history.map((h) => [h.kind, h.status])).toEqual([
      ['status', 'pending'],
      ['payment_status', 'unpaid'],
    ]);
    expect(await findOrderById(db, other.business.id, created.id)).toBeUndefined();
    expect(await findOrderById(db, tenant.business.id, '123')).toBeUndefined();
  });

  it('lists transfer accounts only on bank-transfer orders and no address on digital orders', async () => {
    const tenant = await createTenant();
    const db = tenant.ctx.database.db;
    await db
      .insertInto('payment_accounts')
      .values({
        business_id: tenant.business.id,
        unique_id: `pa_${randomString(24)}`,
        financial_entity_id: 2,
        account_number: '111222333',
        account_holder: 'Toko',
      })
      .execute();
    const ebook = await insertProduct(tenant, { itemType: 'digital' });
    const created = await placeOrder(
      db,
      draftFor(tenant, [variantLine(ebook.variants[0]!, 1, { isInventory: false, itemType: 'digital' })], {
        paymentMethod: 'qris',
        destination: null,
        redirectUrl: 'https://shop.example/thanks',
      }),
    );
    const record = await findOrderBySecretSlug(db, tenant.store.id, created.secret_slug);
    const view = toPublicOrder(record!, { publicUrl: PUBLIC_URL, storeUniqueId: tenant.store.unique_id });
    expect(view.store.payment_accounts).toEqual([]);
    expect(view.destination_address).toBeNull();
    expect(view.courier_service).toBeNull();
    expect(view.page).toBeNull();
    expect(view.redirect_url).toBe('https://shop.example/thanks');
  });
});
