import { beforeAll, describe, expect, it } from 'vitest';
import { createStore } from '../../../src/modules/businesses/service.ts';
import { insertBundle, insertProduct, insertWarehouse } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { draftFor, placeOrder, variantLine } from '../orders/fixtures.ts';
import { warmUp } from './paging.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every field of a freshly created store, with its documented defaults. */
function newStoreShape(tenant: Tenant, name: string) {
  return {
    id: expect.any(Number),
    unique_id: expect.stringMatching(/^store_[A-Za-z0-9]{24}$/),
    uuid: expect.stringMatching(UUID),
    name,
    business_id: tenant.business.id,
    is_active: true,
    is_public: true,
    logo: null,
    custom_domain: null,
    payment_methods: ['bank_transfer'],
    sub_payment_methods: [],
    xendit_va_bank_codes: [],
    products: [],
    bundle_price_options: [],
    bundles: [],
    warehouse: null,
    warehouse_id: null,
    is_auto_expire: false,
    auto_expire_days: 3,
    is_discount_editable: false,
    is_unique_code: false,
    max_unique_code_amount: 0,
    is_postal_code: false,
    postal_code_requirement: 'manual',
    is_customer_otp_required: false,
    is_manual_shipping_cost: false,
    is_courier_required: true,
    is_transferproof_required: false,
    is_dropshipping_allowed: false,
    is_moota_enabled: false,
    email_notification_statuses: [],
    email_reply_to_id: null,
    email_reply_to_assignment: 'fixed',
    is_email_new_order: false,
    is_email_notifications: false,
    whatsapp_notification_statuses: [],
    is_whatsapp_new_order: false,
    is_whatsapp_payment_d1_fu: false,
    is_whatsapp_payment_d2_fu: false,
    is_whatsapp_payment_last_fu: false,
    is_whatsapp_link_download: false,
    non_cod_purchase_triggers: [],
    cod_purchase_triggers: [],
    capi_purchase_value_type: 'gross_revenue',
    days_of_payment_processing: 0,
    is_show_download_invoice: false,
    is_show_whatsapp: false,
    is_fuc_product_enabled: false,
    is_fuc_bundle_enabled: false,
    is_advanced_validation: false,
    min_name_length: 0,
    min_address_length: 0,
    max_per_phone: 0,
    max_per_ip: 0,
    blocked_message: '',
    is_order_hard_filter: false,
    is_customer_spam_filter: false,
    is_ip_spam_filter: false,
    is_spam_filter: false,
    is_use_waba: false,
    waba_account_id: null,
    greeting_message: '',
    inactivity_period: 0,
    is_greeting_message_enabled: false,
    digital_only_complete_type: 'auto',
    auto_other_income: 'off',
    fixed_auto_other_income: '0.00',
    other_income_name: '',
    dynamic_other_income_cod_type: 'fixed',
    dynamic_other_income_cod_default_amount: '0.00',
    dynamic_other_income_cod_default_percentage: 0,
    dynamic_other_income_epayment_type: 'fixed',
    dynamic_other_income_epayment_default_amount: '0.00',
    dynamic_other_income_epayment_default_percentage: 0,
    store_courier_other_incomes: [],
    store_method_other_incomes: [],
    store_sales_people: [],
    store_custom_audiences: [],
    created_at: expect.stringMatching(ISO),
    last_updated_at: expect.stringMatching(ISO),
  };
}

beforeAll(warmUp);

describe('business store CRUD', () => {
  it('creates a store with the full shape and reads it back', async () => {
    const tenant = await createTenant('Stores');
    const res = await tenant.request('POST', '/v3/stores', {
      body: { name: '  Toko Baru  ', custom_domain_id: null },
    });
    expect(res.statusCode, res.body).toBe(200);
    const store = res.json();
    expect(store).toEqual(newStoreShape(tenant, 'Toko Baru'));
    const got = await tenant.request('GET', `/v3/stores/${store.id}`);
    expect(got.statusCode, got.body).toBe(200);
    expect(got.json()).toEqual(store);
  });

  it('rejects bad create input with per-field errors', async () => {
    const tenant = await createTenant('Stores');
    for (const [body, field] of [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'Ok', custom_domain_id: 5 }, 'custom_domain_id'],
    ] as const) {
      const res = await tenant.request('POST', '/v3/stores', { body });
      expect(res.statusCode, JSON.stringify(body)).toBe(422);
      expect(res.json().error_code).toBe('validation_failed');
      expect(res.json().errors[field], res.body).toBeDefined();
    }
  });

  it('shows listed products, price options and their bundles on the store', async () => {
    const tenant = await createTenant('Stores');
    const product = await insertProduct(tenant, { name: 'Kopi' });
    await tenant.ctx.database.db
      .insertInto('store_products')
      .values({ store_id: tenant.store.id, product_id: product.id, business_id: tenant.business.id })
      .execute();
    const bundle = await insertBundle(
      tenant,
      [{ variantId: product.variants[0]!.id, quantity: 2 }],
      [{ name: 'Paket Hemat', price: '99000' }],
    );
    const attach = await tenant.request('POST', `/v3/stores/${tenant.store.id}/bundle-price-options`, {
      body: { bpo_ids: [bundle.priceOptions[0]!.id] },
    });
    expect(attach.statusCode, attach.body).toBe(204);
    const store = (await tenant.request('GET', `/v3/stores/${tenant.store.id}`)).json();
    expect(store.products).toEqual([
      {
        id: product.id,
        uuid: product.uuid,
        name: 'Kopi',
        slug: product.slug,
        item_type: 'physical',
        is_hidden_from_listing: false,
      },
    ]);
    expect(store.bundle_price_options).toEqual([
      {
        id: bundle.priceOptions[0]!.id,
        unique_id: bundle.priceOptions[0]!.unique_id,
        bundle_id: bundle.id,
        name: 'Paket Hemat',
        price: '99000.00',
        is_visible: true,
      },
    ]);
    expect(store.bundles).toEqual([{ id: bundle.id, name: expect.any(String), display: expect.any(String) }]);
  });

  it('updates settings partially and keeps the rest', async () => {
    const tenant = await createTenant('Stores');
    const warehouse = await insertWarehouse(tenant);
    const url = `/v3/stores/${tenant.store.id}`;
    const res = await tenant.request('PATCH', url, {
      body: {
        name: 'Renamed',
        is_public: false,
        warehouse_id: warehouse.id,
        logo: 'https://cdn.example.test/logo.png',
        is_unique_code: true,
        max_unique_code_amount: 500,
        postal_code_requirement: 'autofill',
        email_notification_statuses: ['confirmed', 'shipped'],
        cod_purchase_triggers: ['completed'],
        auto_other_income: 'fixed',
        fixed_auto_other_income: 2500,
        other_income_name: 'Biaya layanan',
        dynamic_other_income_cod_type: 'percentage',
        dynamic_other_income_cod_default_percentage: 2.5,
        store_method_other_incomes: [
          { payment_method: 'cod', type: 'fixed', amount: '5000' },
          { payment_method: 'va', sub_payment_method: 'BCA', type: 'percentage', percentage: 1.5 },
        ],
        store_courier_other_incomes: [{ courier_id: 3, type: 'fixed', amount: 1000 }],
        store_sales_people: [{ user_id: tenant.owner.id, weight: 3 }],
        store_custom_audiences: [{ platform: 'meta', audience_id: 'abc' }],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const store = res.json();
    expect(store).toMatchObject({
      name: 'Renamed',
      is_public: false,
      warehouse_id: warehouse.id,
      warehouse: { id: warehouse.id, unique_id: warehouse.unique_id, name: 'Gudang Utama' },
      logo: 'https://cdn.example.test/logo.png',
      is_unique_code: true,
      max_unique_code_amount: 500,
      postal_code_requirement: 'autofill',
      email_notification_statuses: ['confirmed', 'shipped'],
      cod_purchase_triggers: ['completed'],
      auto_other_income: 'fixed',
      fixed_auto_other_income: '2500.00',
      other_income_name: 'Biaya layanan',
      dynamic_other_income_cod_type: 'percentage',
      dynamic_other_income_cod_default_percentage: 2.5,
      store_method_other_incomes: [
        { payment_method: 'cod', sub_payment_method: null, type: 'fixed', amount: '5000.00', percentage: 0 },
        {
          payment_method: 'va',
          sub_payment_method: 'BCA',
          type: 'percentage',
          amount: '0.00',
          percentage: 1.5,
        },
      ],
      store_courier_other_incomes: [{ courier_id: 3, type: 'fixed', amount: 1000 }],
      store_sales_people: [
        {
          id: expect.any(Number),
          user_id: tenant.owner.id,
          name: tenant.owner.name,
          email: tenant.owner.email,
          weight: 3,
          is_active: true,
        },
      ],
      store_custom_audiences: [{ platform: 'meta', audience_id: 'abc' }],
    });
    // Fields outside the contract (such as the legacy `visibility`) are ignored.
    const legacy = await tenant.request('PATCH', url, {
      body: { visibility: 'private', id: 1, business_id: 2 },
    });
    expect(legacy.statusCode, legacy.body).toBe(200);
    expect(legacy.json()).toMatchObject({
      id: tenant.store.id,
      business_id: tenant.business.id,
      is_public: false,
    });
    // A second partial update changes only what it sends; sending a list replaces it.
    const again = await tenant.request('PATCH', url, {
      body: { logo: '', store_method_other_incomes: [], store_sales_people: [{ user_id: tenant.owner.id }] },
    });
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({
      name: 'Renamed',
      logo: null,
      is_unique_code: true,
      store_method_other_incomes: [],
      store_sales_people: [{ id: store.store_sales_people[0].id, weight: 1 }],
    });
  });

  it('rejects bad update input with per-field errors', async () => {
    const tenant = await createTenant('Stores');
    const other = await createTenant('Stores other');
    const otherWarehouse = await insertWarehouse(other);
    const url = `/v3/stores/${tenant.store.id}`;
    for (const [body, field] of [
      [{ name: '' }, 'name'],
      [{ postal_code_requirement: 'sometimes' }, 'postal_code_requirement'],
      [{ email_notification_statuses: ['nope'] }, 'email_notification_statuses.0'],
      [{ auto_expire_days: 0 }, 'auto_expire_days'],
      [{ fixed_auto_other_income: '-5' }, 'fixed_auto_other_income'],
      [{ fixed_auto_other_income: '1.234' }, 'fixed_auto_other_income'],
      [{ dynamic_other_income_cod_default_percentage: 101 }, 'dynamic_other_income_cod_default_percentage'],
      [{ warehouse_id: otherWarehouse.id }, 'warehouse_id'],
      [{ custom_domain_id: 1 }, 'custom_domain_id'],
      [
        { store_method_other_incomes: [{ payment_method: 'marketplace', type: 'fixed', amount: 1 }] },
        'store_method_other_incomes.0.payment_method',
      ],
      [
        { store_method_other_incomes: [{ payment_method: 'cod', type: 'fixed' }] },
        'store_method_other_incomes.0.amount',
      ],
      [
        {
          store_method_other_incomes: [
            { payment_method: 'cod', sub_payment_method: 'BCA', type: 'fixed', amount: 1 },
          ],
        },
        'store_method_other_incomes.0.sub_payment_method',
      ],
      [
        {
          store_method_other_incomes: [
            { payment_method: 'cod', type: 'fixed', amount: 1 },
            { payment_method: 'cod', type: 'fixed', amount: 2 },
          ],
        },
        'store_method_other_incomes.1',
      ],
      [{ store_sales_people: [{ user_id: other.owner.id }] }, 'store_sales_people.0.user_id'],
    ] as const) {
      const res = await tenant.request('PATCH', url, { body });
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(422);
      expect(res.json().errors[field], res.body).toBeDefined();
    }
    // Nothing was written by the refused updates.
    expect((await tenant.request('GET', url)).json().name).toBe(tenant.store.name);
  });

  it('deletes a store, refusing while storefront keys or pages depend on it', async () => {
    const tenant = await createTenant('Stores');
    const store = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Temporary' });
    const key = await tenant.request('POST', `/v3/stores/${store.id}/public-api-keys`);
    expect(key.statusCode, key.body).toBe(200);
    const blocked = await tenant.request('DELETE', `/v3/stores/${store.id}`);
    expect(blocked.statusCode, blocked.body).toBe(409);
    expect(blocked.json().error_code).toBe('state_conflict');
    await tenant.request('DELETE', `/v3/stores/${store.id}/public-api-keys/${key.json().id}`);

    await tenant.ctx.database.db
      .insertInto('pages')
      .values({
        business_id: tenant.business.id,
        store_id: store.id,
        unique_id: `page_${store.id}abcdef`,
        name: 'Landing',
      })
      .execute();
    expect((await tenant.request('DELETE', `/v3/stores/${store.id}`)).statusCode).toBe(409);
    await tenant.ctx.database.db.deleteFrom('pages').where('store_id', '=', store.id).execute();

    const res = await tenant.request('DELETE', `/v3/stores/${store.id}`);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');
    expect((await tenant.request('GET', `/v3/stores/${store.id}`)).statusCode).toBe(404);
    expect((await tenant.request('DELETE', `/v3/stores/${store.id}`)).statusCode).toBe(404);
  });

  it('refuses to delete a store that has orders (deactivate it instead)', async () => {
    const tenant = await createTenant('Stores');
    const store = await createStore(tenant.ctx.database.db, tenant.business.id, { name: 'Sold something' });
    const product = await insertProduct(tenant);
    await placeOrder(
      tenant.ctx.database.db,
      draftFor(tenant, [variantLine(product.variants[0]!, 1, { isInventory: false })], { storeId: store.id }),
    );
    const res = await tenant.request('DELETE', `/v3/stores/${store.id}`);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().message).toContain('has orders');
    expect((await tenant.request('GET', `/v3/stores/${store.id}`)).statusCode).toBe(200);
  });

  it("answers 404 for another business's store and for ids that are not store ids", async () => {
    const tenant = await createTenant('Stores');
    const other = await createTenant('Stores other');
    const url = `/v3/stores/${other.store.id}`;
    expect((await tenant.request('GET', url)).statusCode).toBe(404);
    expect((await tenant.request('PATCH', url, { body: { name: 'Mine now' } })).statusCode).toBe(404);
    expect((await tenant.request('DELETE', url)).statusCode).toBe(404);
    expect((await other.request('GET', url)).json().name).toBe(other.store.name);
    const bad = await tenant.request('GET', '/v3/stores/abc');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.id).toBeDefined();
    expect((await tenant.request('GET', '/v3/stores/999999999')).statusCode).toBe(404);
    // Ids beyond a bigint are invalid input, never a database error.
    for (const url of [
      '/v3/stores/99999999999999999999',
      '/v3/stores/99999999999999999999/products',
      '/v3/stores/9223372036854775808/channels',
    ]) {
      expect((await tenant.request('GET', url)).statusCode, url).toBe(422);
    }
    const huge = await tenant.request('GET', '/v3/stores', { query: { product_id: '99999999999999999999' } });
    expect(huge.statusCode).toBe(422);
  });

  it('requires the store scopes', async () => {
    const tenant = await createTenant('Stores');
    const key = await tenant.restrictedKey(['order:read']);
    const url = `/v3/stores/${tenant.store.id}`;
    for (const [method, path, body] of [
      ['GET', '/v3/stores', undefined],
      ['GET', '/v3/stores/simplified', undefined],
      ['POST', '/v3/stores', { name: 'X' }],
      ['GET', url, undefined],
      ['PATCH', url, { name: 'X' }],
      ['DELETE', url, undefined],
    ] as const) {
      const res = await tenant.request(method, path, { key, ...(body ? { body } : {}) });
      expect(res.statusCode, `${method} ${path}`).toBe(403);
      expect(res.json().error_code).toBe('insufficient_scope');
    }
    const reader = await tenant.restrictedKey(['store:read']);
    expect((await tenant.request('GET', url, { key: reader })).statusCode).toBe(200);
    expect((await tenant.request('PATCH', url, { key: reader, body: { name: 'X' } })).statusCode).toBe(403);
  });
});
