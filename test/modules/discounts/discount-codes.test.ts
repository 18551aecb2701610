import { beforeAll, describe, expect, it } from 'vitest';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { createCode, insertPage } from './fixtures.ts';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let tenant: Tenant;
beforeAll(async () => {
  tenant = await createTenant('Diskon');
});

describe('createDiscountCode', () => {
  it('normalizes the code and answers the full DiscountCode object', async () => {
    const page = await insertPage(tenant, 'Promo Page');
    const response = await tenant.request('POST', '/v3/discount-codes', {
      body: {
        code: '  hemat\u00a0 10 ',
        applied_to: 'product_price',
        amount_type: 'percentage',
        percentage: 10,
        is_max_amount: true,
        max_amount: '25000',
        is_usage_limit: true,
        usage_limit: 100,
        is_expiry: true,
        expiry_time: '2030-01-31T17:00:00+07:00',
        is_limited_to_pages: true,
        page_ids: [page.id, page.id],
        is_limited_to_payment_methods: true,
        payment_methods: ['qris', 'BANK_TRANSFER'],
        is_minimum_revenue: true,
        minimum_revenue: 100000,
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      id: expect.any(Number),
      business_id: tenant.business.id,
      is_enabled: true,
      code: 'HEMAT10',
      applied_to: 'product_price',
      amount_type: 'percentage',
      percentage: '10.00',
      is_max_amount: true,
      max_amount: '25000.00',
      amount: null,
      is_usage_limit: true,
      usage_limit: 100,
      current_usage: 0,
      is_expiry: true,
      expiry_time: '2030-01-31T10:00:00.000Z',
      is_limited_to_pages: true,
      pages: [{ id: page.id, unique_id: page.unique_id, name: 'Promo Page' }],
      is_limited_to_payment_methods: true,
      payment_methods: ['qris', 'bank_transfer'],
      is_minimum_revenue: true,
      minimum_revenue: '100000.00',
      inserted_at: expect.stringMatching(ISO),
      updated_at: expect.stringMatching(ISO),
    });
  });

  it('applies the documented defaults to a minimal fixed code and drops percentage fields', async () => {
    const body = await createCode(tenant, {
      code: 'ongkir5k',
      applied_to: 'shipping_cost',
      amount_type: 'fixed',
      amount: 5000,
      percentage: 50,
      is_max_amount: true,
      max_amount: 1,
    });
    expect(body).toMatchObject({
      code: 'ONGKIR5K',
      applied_to: 'shipping_cost',
      amount_type: 'fixed',
      amount: '5000.00',
      percentage: null,
      is_max_amount: false,
      max_amount: null,
      is_enabled: true,
      is_usage_limit: false,
      usage_limit: null,
      is_expiry: false,
      expiry_time: null,
      is_limited_to_pages: false,
      pages: [],
      is_limited_to_payment_methods: false,
      payment_methods: [],
      is_minimum_revenue: false,
      minimum_revenue: null,
    });
  });

  it('refuses a code already used in the business, whatever its case or spacing (422)', async () => {
    await createCode(tenant, { code: 'UNIK1', applied_to: 'product_price', amount_type: 'fixed', amount: 1 });
    const again = await tenant.request('POST', '/v3/discount-codes', {
      body: { code: 'un ik1', applied_to: 'product_price', amount_type: 'fixed', amount: 2 },
    });
    expect(again.statusCode).toBe(422);
    expect(again.json().errors.code).toEqual(['has already been taken']);

    // Another business may use the same code.
    const other = await createTenant('Lain');
    const theirs = await other.request('POST', '/v3/discount-codes', {
      body: { code: 'UNIK1', applied_to: 'product_price', amount_type: 'fixed', amount: 1 },
    });
    expect(theirs.statusCode).toBe(200);
  });

  it('lets exactly one of two simultaneous creates of a code win', async () => {
    const body = { code: 'RACE1', applied_to: 'product_price', amount_type: 'fixed', amount: 1 };
    const answers = await Promise.all([
      tenant.request('POST', '/v3/discount-codes', { body }),
      tenant.request('POST', '/v3/discount-codes', { body }),
    ]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 422]);
  });

  it.each([
    [{ applied_to: 'product_price', amount_type: 'fixed', amount: 1 }, 'code'],
    [{ code: '   ', applied_to: 'product_price', amount_type: 'fixed', amount: 1 }, 'code'],
    [{ code: 'DISKON\u00e9', applied_to: 'product_price', amount_type: 'fixed', amount: 1 }, 'code'],
    [{ code: 'A'.repeat(51), applied_to: 'product_price', amount_type: 'fixed', amount: 1 }, 'code'],
    [{ code: 'X1', applied_to: 'total', amount_type: 'fixed', amount: 1 }, 'applied_to'],
    [{ code: 'X1', applied_to: 'product_price', amount_type: 'free', amount: 1 }, 'amount_type'],
    [{ code: 'X1', applied_to: 'product_price', amount_type: 'fixed' }, 'amount'],
    [{ code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: -5 }, 'amount'],
    [{ code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: '1.234' }, 'amount'],
    [
      { code: 'X1', applied_to: 'product_price', amount_type: 'percentage', is_max_amount: false },
      'percentage',
    ],
    [
      {
        code: 'X1',
        applied_to: 'product_price',
        amount_type: 'percentage',
        percentage: 101,
        is_max_amount: false,
      },
      'percentage',
    ],
    [{ code: 'X1', applied_to: 'product_price', amount_type: 'percentage', percentage: 10 }, 'is_max_amount'],
    [
      {
        code: 'X1',
        applied_to: 'product_price',
        amount_type: 'percentage',
        percentage: 10,
        is_max_amount: true,
      },
      'max_amount',
    ],
    [
      { code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: 1, is_usage_limit: true },
      'usage_limit',
    ],
    [
      {
        code: 'X1',
        applied_to: 'product_price',
        amount_type: 'fixed',
        amount: 1,
        is_usage_limit: true,
        usage_limit: 0,
      },
      'usage_limit',
    ],
    [
      { code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: 1, is_expiry: true },
      'expiry_time',
    ],
    [
      { code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: 1, expiry_time: 'tomorrow' },
      'expiry_time',
    ],
    [
      { code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: 1, is_limited_to_pages: true },
      'page_ids',
    ],
    [
      { code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: 1, page_ids: [987654321] },
      'page_ids',
    ],
    [
      {
        code: 'X1',
        applied_to: 'product_price',
        amount_type: 'fixed',
        amount: 1,
        is_limited_to_payment_methods: true,
      },
      'payment_methods',
    ],
    [
      {
        code: 'X1',
        applied_to: 'product_price',
        amount_type: 'fixed',
        amount: 1,
        payment_methods: ['bitcoin'],
      },
      'payment_methods',
    ],
    [
      { code: 'X1', applied_to: 'product_price', amount_type: 'fixed', amount: 1, is_minimum_revenue: true },
      'minimum_revenue',
    ],
  ])('422 on bad input %#', async (body, field) => {
    const response = await tenant.request('POST', '/v3/discount-codes', { body });
    expect(response.statusCode, response.body).toBe(422);
    expect(response.json().error_code).toBe('validation_failed');
    expect(response.json().errors[field]).toBeDefined();
  });

  it("refuses another business's page", async () => {
    const other = await createTenant('Halaman');
    const foreignPage = await insertPage(other);
    const response = await tenant.request('POST', '/v3/discount-codes', {
      body: {
        code: 'PAGEX',
        applied_to: 'product_price',
        amount_type: 'fixed',
        amount: 1,
        page_ids: [foreignPage.id],
      },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.page_ids).toEqual([`contains unknown pages: ${foreignPage.id}`]);
  });
});

describe('getDiscountCode', () => {
  it('answers the code, and 404 for unknown, non-numeric or another business id', async () => {
    const created = await createCode(tenant, {
      code: 'GETME',
      applied_to: 'product_price',
      amount_type: 'fixed',
      amount: '1500.5',
    });
    const response = await tenant.request('GET', `/v3/discount-codes/${created.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(created);

    const other = await createTenant('Asing');
    for (const [who, path] of [
      [other, `/v3/discount-codes/${created.id}`],
      [tenant, '/v3/discount-codes/999999999'],
      [tenant, '/v3/discount-codes/GETME'],
      [tenant, '/v3/discount-codes/99999999999999999999'],
    ] as const) {
      const missing = await who.request('GET', path);
      expect(missing.statusCode, path).toBe(404);
      expect(missing.json()).toMatchObject({ error_code: 'not_found', message: 'Discount code not found' });
    }
  });

  it('needs a business credential; a restricted key needs discount_code:list (scopes.test.ts)', async () => {
    const key = await tenant.restrictedKey(['store:list', 'discount_code:list']);
    const response = await tenant.request('GET', '/v3/discount-codes', { key });
    expect(response.statusCode).toBe(200);
    const anonymous = await tenant.request('GET', '/v3/discount-codes', { headers: { authorization: '' } });
    expect(anonymous.statusCode).toBe(401);
  });
});

describe('updateDiscountCode', () => {
  it('changes the settings partially and keeps the rest', async () => {
    const page = await insertPage(tenant);
    const created = await createCode(tenant, {
      code: 'UPD1',
      applied_to: 'product_price',
      amount_type: 'percentage',
      percentage: 15,
      is_max_amount: false,
      is_minimum_revenue: true,
      minimum_revenue: 50000,
    });
    const response = await tenant.request('PATCH', `/v3/discount-codes/${created.id}`, {
      body: {
        is_enabled: false,
        is_usage_limit: true,
        usage_limit: 3,
        is_limited_to_pages: true,
        page_ids: [page.id],
        is_expiry: true,
        expiry_time: '2031-05-01T00:00:00Z',
      },
    });
    expect(response.statusCode, response.body).toBe(200);
    const updated = response.json();
    expect(updated).toEqual({
      ...created,
      is_enabled: false,
      is_usage_limit: true,
      usage_limit: 3,
      is_limited_to_pages: true,
      pages: [{ id: page.id, unique_id: page.unique_id, name: page.name }],
      is_expiry: true,
      expiry_time: '2031-05-01T00:00:00.000Z',
      updated_at: expect.stringMatching(ISO),
    });

    // Switching a limit off keeps its value; an empty page list removes the pages.
    const off = await tenant.request('PATCH', `/v3/discount-codes/${created.id}`, {
      body: { is_usage_limit: false, is_limited_to_pages: false, page_ids: [] },
    });
    expect(off.json()).toMatchObject({
      is_usage_limit: false,
      usage_limit: 3,
      is_limited_to_pages: false,
      pages: [],
    });
  });

  it('validates the merged state: a limit switched on needs its value', async () => {
    const created = await createCode(tenant, {
      code: 'UPD2',
      applied_to: 'shipping_cost',
      amount_type: 'fixed',
      amount: 10000,
    });
    for (const [body, field] of [
      [{ is_usage_limit: true }, 'usage_limit'],
      [{ is_expiry: true }, 'expiry_time'],
      [{ is_limited_to_pages: true }, 'page_ids'],
      [{ is_limited_to_payment_methods: true, payment_methods: [] }, 'payment_methods'],
      [{ is_minimum_revenue: true, minimum_revenue: 'abc' }, 'minimum_revenue'],
      [{ usage_limit: -1 }, 'usage_limit'],
      [{ is_enabled: 'maybe' }, 'is_enabled'],
    ] as const) {
      const response = await tenant.request('PATCH', `/v3/discount-codes/${created.id}`, { body });
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
      expect(response.json().errors[field], JSON.stringify(body)).toBeDefined();
    }
    const unchanged = await tenant.request('GET', `/v3/discount-codes/${created.id}`);
    expect(unchanged.json()).toEqual(created);
  });

  it('refuses to change code, type or amount but accepts them sent back unchanged', async () => {
    const created = await createCode(tenant, {
      code: 'IMMU',
      applied_to: 'product_price',
      amount_type: 'percentage',
      percentage: 20,
      is_max_amount: true,
      max_amount: 30000,
    });
    const echoed = await tenant.request('PATCH', `/v3/discount-codes/${created.id}`, {
      body: { ...created, is_enabled: false },
    });
    expect(echoed.statusCode, echoed.body).toBe(200);
    expect(echoed.json().is_enabled).toBe(false);

    const changed = await tenant.request('PATCH', `/v3/discount-codes/${created.id}`, {
      body: {
        code: 'OTHER',
        amount_type: 'fixed',
        percentage: 30,
        max_amount: '30000.00',
        applied_to: 'product_price',
      },
    });
    expect(changed.statusCode).toBe(422);
    expect(changed.json().errors).toEqual({
      code: ['cannot be changed after creation'],
      amount_type: ['cannot be changed after creation'],
      percentage: ['cannot be changed after creation'],
    });
  });

  it("answers 404 for another business's code", async () => {
    const created = await createCode(tenant, {
      code: 'MINE',
      applied_to: 'product_price',
      amount_type: 'fixed',
      amount: 1,
    });
    const other = await createTenant('Orang');
    const response = await other.request('PATCH', `/v3/discount-codes/${created.id}`, {
      body: { is_enabled: false },
    });
    expect(response.statusCode).toBe(404);
    expect((await tenant.request('GET', `/v3/discount-codes/${created.id}`)).json().is_enabled).toBe(true);
  });
});

describe('deleteDiscountCode', () => {
  it('deletes an unused code (204), then 404', async () => {
    const created = await createCode(tenant, {
      code: 'DEL1',
      applied_to: 'product_price',
      amount_type: 'fixed',
      amount: 1,
    });
    const other = await createTenant('Penghapus');
    expect((await other.request('DELETE', `/v3/discount-codes/${created.id}`)).statusCode).toBe(404);
    const deleted = await tenant.request('DELETE', `/v3/discount-codes/${created.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expect((await tenant.request('GET', `/v3/discount-codes/${created.id}`)).statusCode).toBe(404);
    expect((await tenant.request('DELETE', `/v3/discount-codes/${created.id}`)).statusCode).toBe(404);
  });

  it('refuses (409) once the code has been used', async () => {
    const created = await createCode(tenant, {
      code: 'USED1',
      applied_to: 'product_price',
      amount_type: 'fixed',
      amount: 1,
    });
    await tenant.ctx.database.db
      .updateTable('discount_codes')
      .set({ current_usage: 2 })
      .where('id', '=', created.id)
      .execute();
    const response = await tenant.request('DELETE', `/v3/discount-codes/${created.id}`);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({
      error_code: 'state_conflict',
      errors: { blocked_by: ['it has been used in 2 orders'] },
    });
    expect((await tenant.request('GET', `/v3/discount-codes/${created.id}`)).statusCode).toBe(200);
  });
});

describe('nullable amounts', () => {
  it('keeps 0 as an amount and null as no value', async () => {
    const created = await createCode(tenant, {
      code: 'NULLS',
      applied_to: 'product_price',
      amount_type: 'fixed',
      amount: 0,
      is_minimum_revenue: true,
      minimum_revenue: 0,
    });
    expect(created).toMatchObject({ amount: '0.00', minimum_revenue: '0.00' });
    const cleared = await tenant.request('PATCH', `/v3/discount-codes/${created.id}`, {
      body: { is_minimum_revenue: false, minimum_revenue: null, usage_limit: null, expiry_time: null },
    });
    expect(cleared.statusCode, cleared.body).toBe(200);
    expect(cleared.json()).toMatchObject({ minimum_revenue: null, usage_limit: null, expiry_time: null });
  });
});
