import { describe, expect, it } from 'vitest';
import { createTenant } from '../../helpers/tenants.ts';
import { createCode, insertPage } from '../discounts/fixtures.ts';
import { BANDUNG, buyer, checkoutClient, checkoutShop, JNE_REG, variantItem } from './fixtures.ts';

const percentCode = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  applied_to: 'product_price',
  amount_type: 'percentage',
  percentage: 10,
  is_max_amount: true,
  max_amount: '20000',
  ...extra,
});

describe('checkDiscountCode', () => {
  it('answers an eligible code with the DiscountCode object and the amount', async () => {
    const { tenant, client, shirt } = await checkoutShop();
    const created = await createCode(tenant, percentCode('HEMAT10'));
    const response = await client.post('/discount-codes/check', {
      code: ' hemat10 ',
      items: [variantItem(shirt, 1)],
      payment_method: 'bank_transfer',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      discount_code: created,
      eligibility_details: {
        reason: null,
        message: null,
        applied_to: 'product_price',
        product_price: '150000.00',
        shipping_cost: '0.00',
      },
      is_eligible: true,
      // 10% of 150,000 is 15,000, under the 20,000 cap.
      discount_code_discount: '15000.00',
    });
  });

  it('caps percentages, and discounts shipping recomputed server-side for shipping codes', async () => {
    const { tenant, client, shirt } = await checkoutShop();
    await createCode(tenant, percentCode('BESAR'));
    const capped = await client.post('/discount-codes/check', {
      code: 'BESAR',
      items: [variantItem(shirt, 2)],
    });
    expect(capped.json().discount_code_discount).toBe('20000.00');

    await createCode(tenant, {
      code: 'ONGKIR',
      applied_to: 'shipping_cost',
      amount_type: 'fixed',
      amount: '5000',
    });
    const shipping = await client.post('/discount-codes/check', {
      code: 'ONGKIR',
      items: [variantItem(shirt)],
      destination: { location_id: BANDUNG },
      courier_service_id: JNE_REG,
      shipping_cost: '0',
    });
    expect(shipping.json()).toMatchObject({ is_eligible: true, discount_code_discount: '5000.00' });
    expect(Number(shipping.json().eligibility_details.shipping_cost)).toBeGreaterThan(5000);
  });

  it('answers 200 with is_eligible false, discount_code null and the reason for each rule', async () => {
    const { tenant, client, shirt } = await checkoutShop();
    const page = await insertPage(tenant);
    await createCode(tenant, percentCode('MATI', { is_enabled: false }));
    await createCode(tenant, percentCode('LAMA', { is_expiry: true, expiry_time: '2020-01-01T00:00:00Z' }));
    await createCode(tenant, percentCode('HABIS', { is_usage_limit: true, usage_limit: 1 }));
    await tenant.ctx.database.db
      .updateTable('discount_codes')
      .set({ current_usage: 1 })
      .where('code', '=', 'HABIS')
      .where('business_id', '=', tenant.business.id)
      .execute();
    await createCode(tenant, percentCode('HALAMAN', { is_limited_to_pages: true, page_ids: [page.id] }));
    await createCode(
      tenant,
      percentCode('QRISAJA', { is_limited_to_payment_methods: true, payment_methods: ['qris'] }),
    );
    await createCode(tenant, percentCode('MINIMAL', { is_minimum_revenue: true, minimum_revenue: '200000' }));
    const cases: Array<[string, string]> = [
      ['TIDAKADA', 'not_found'],
      ['MATI', 'inactive'],
      ['LAMA', 'expired'],
      ['HABIS', 'usage_limit_reached'],
      ['HALAMAN', 'page_not_allowed'],
      ['QRISAJA', 'payment_method_not_allowed'],
      ['MINIMAL', 'minimum_not_met'],
    ];
    for (const [code, reason] of cases) {
      const response = await client.post('/discount-codes/check', {
        code,
        items: [variantItem(shirt)],
        payment_method: 'bank_transfer',
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json(), code).toMatchObject({
        discount_code: null,
        is_eligible: false,
        discount_code_discount: '0.00',
        eligibility_details: { reason, message: expect.any(String) },
      });
    }
    const qris = await client.post('/discount-codes/check', {
      code: 'QRISAJA',
      items: [variantItem(shirt)],
      payment_method: 'qris',
    });
    expect(qris.json().is_eligible).toBe(true);
  });

  it('prefers a non-empty guest cart over items, and falls back to client amounts with neither', async () => {
    const { tenant, client, shirt, ebook } = await checkoutShop();
    await createCode(tenant, percentCode('MINIMAL', { is_minimum_revenue: true, minimum_revenue: '200000' }));
    const token = await client.cartWith([variantItem(shirt, 2)]);
    const fromCart = await client.post(
      '/discount-codes/check',
      { code: 'MINIMAL', items: [variantItem(ebook)] },
      { token },
    );
    expect(fromCart.json()).toMatchObject({ is_eligible: true, discount_code_discount: '20000.00' });

    const fromAmounts = await client.post('/discount-codes/check', {
      code: 'MINIMAL',
      net_product_price: 250000,
    });
    expect(fromAmounts.json()).toMatchObject({
      is_eligible: true,
      discount_code_discount: '20000.00',
      eligibility_details: { product_price: '250000.00' },
    });
    const tooLittle = await client.post('/discount-codes/check', {
      code: 'MINIMAL',
      net_product_price: '1000',
    });
    expect(tooLittle.json()).toMatchObject({
      is_eligible: false,
      eligibility_details: { reason: 'minimum_not_met' },
    });
  });

  it('never finds another business’s code', async () => {
    const { client, shirt } = await checkoutShop();
    const other = await checkoutShop({ name: 'Toko Lain' });
    await createCode(other.tenant, percentCode('PUNYALAIN'));
    const response = await client.post('/discount-codes/check', {
      code: 'PUNYALAIN',
      items: [variantItem(shirt)],
    });
    expect(response.json()).toMatchObject({
      is_eligible: false,
      eligibility_details: { reason: 'not_found' },
    });
  });

  it('answers a blank code like an unknown one, with or without items', async () => {
    const { client, shirt } = await checkoutShop();
    for (const body of [
      { code: '', items: [variantItem(shirt)] },
      { code: '   ', items: [variantItem(shirt)] },
      { code: '', net_product_price: 150000 },
    ]) {
      const response = await client.post('/discount-codes/check', body);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        is_eligible: false,
        discount_code: null,
        eligibility_details: { reason: 'not_found' },
      });
    }
  });

  it('is 422 on bad input and 404 only when the store cannot be resolved', async () => {
    const { client, shirt } = await checkoutShop();
    const missing = await client.post('/discount-codes/check', { items: [variantItem(shirt)] });
    expect(missing.statusCode).toBe(422);
    expect(Object.keys(missing.json().errors)).toContain('code');
    const badItem = await client.post('/discount-codes/check', { code: 'X', items: [{ type: 'variant' }] });
    expect(badItem.statusCode).toBe(422);
    expect(Object.keys(badItem.json().errors)).toEqual(['items.0.variant_id']);

    const other = await checkoutClient(await createTenant('Toko Asing'));
    const foreign = await client.post('/discount-codes/check', { code: 'X' }, { key: other.key });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().message).toBe('Store not found');
  });

  it('counts a use once per order and refuses the code at checkout after the last use', async () => {
    const { tenant, client, ebook } = await checkoutShop();
    await createCode(tenant, percentCode('SEKALI', { is_usage_limit: true, usage_limit: 1 }));
    const body = { items: [variantItem(ebook)], ...buyer({ discount_code_code: 'sekali' }) };
    const first = await client.post('/checkout', body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ discount_code_code: 'SEKALI', discount_code_discount: '9900.00' });
    const second = await client.post('/checkout', body);
    expect(second.statusCode).toBe(422);
    expect(second.json().errors.discount_code_code).toEqual([
      'This discount code has reached its usage limit.',
    ]);
    const row = await tenant.ctx.database.db
      .selectFrom('discount_codes')
      .select('current_usage')
      .where('code', '=', 'SEKALI')
      .where('business_id', '=', tenant.business.id)
      .executeTakeFirstOrThrow();
    expect(row.current_usage).toBe(1);
  });
});
