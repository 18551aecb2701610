import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/db/database.ts';
import {
  consumeDiscountCode,
  type DiscountContext,
  evaluateDiscountCode,
} from '../../../src/modules/discounts/evaluate.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { createCode, insertPage } from './fixtures.ts';

let tenant: Tenant;
let db: Db;
let base: DiscountContext;

const fixed = (code: string, amount: string | number, extra: Record<string, unknown> = {}) =>
  createCode(tenant, { code, applied_to: 'product_price', amount_type: 'fixed', amount, ...extra });

beforeAll(async () => {
  tenant = await createTenant('Evaluasi');
  db = tenant.ctx.database.db;
  base = {
    businessId: tenant.business.id,
    storeId: tenant.store.id,
    paymentMethod: 'bank_transfer',
    productPrice: '150000.00',
    shippingCost: '19000.00',
  };
});

describe('evaluateDiscountCode: eligibility reasons', () => {
  it('not_found for unknown, malformed and other businesses codes', async () => {
    const other = await createTenant('Tetangga');
    await createCode(other, { code: 'THEIRS', applied_to: 'product_price', amount_type: 'fixed', amount: 1 });
    for (const code of ['NOPE', '', '   ', 'x'.repeat(500), 'THEIRS']) {
      expect(await evaluateDiscountCode(db, code, base)).toEqual({
        eligible: false,
        reason: 'not_found',
        message: 'Discount code not found.',
        discountCode: null,
        productDiscount: '0.00',
        shippingDiscount: '0.00',
      });
    }
  });

  it('finds a code typed in lower case with spaces', async () => {
    const created = await fixed('HEMAT10', 10000);
    const result = await evaluateDiscountCode(db, ' hemat 10 ', base);
    expect(result).toEqual({
      eligible: true,
      reason: null,
      message: null,
      discountCode: { id: created.id, code: 'HEMAT10', appliedTo: 'product_price' },
      productDiscount: '10000.00',
      shippingDiscount: '0.00',
    });
  });

  it('store_not_allowed when the store is not the business', async () => {
    await fixed('STOREX', 1000);
    const other = await createTenant('Toko Lain');
    const result = await evaluateDiscountCode(db, 'STOREX', { ...base, storeId: other.store.id });
    expect(result).toMatchObject({ eligible: false, reason: 'store_not_allowed', productDiscount: '0.00' });
    expect(result.discountCode?.code).toBe('STOREX');
  });

  it('inactive when disabled', async () => {
    await fixed('OFF1', 1000, { is_enabled: false });
    expect(await evaluateDiscountCode(db, 'OFF1', base)).toMatchObject({
      eligible: false,
      reason: 'inactive',
      message: 'This discount code is no longer active.',
    });
  });

  it('expired at and after expiry_time, eligible before; ignored when is_expiry is off', async () => {
    await fixed('EXP1', 1000, { is_expiry: true, expiry_time: '2030-01-01T00:00:00Z' });
    const at = (iso: string) => evaluateDiscountCode(db, 'EXP1', { ...base, now: new Date(iso) });
    expect((await at('2029-12-31T23:59:59Z')).eligible).toBe(true);
    expect(await at('2030-01-01T00:00:00Z')).toMatchObject({ eligible: false, reason: 'expired' });
    await fixed('EXP2', 1000, { is_expiry: false, expiry_time: '2000-01-01T00:00:00Z' });
    expect((await evaluateDiscountCode(db, 'EXP2', base)).eligible).toBe(true);
  });

  it('usage_limit_reached once current_usage meets the limit', async () => {
    const created = await fixed('LIM1', 1000, { is_usage_limit: true, usage_limit: 1 });
    expect((await evaluateDiscountCode(db, 'LIM1', base)).eligible).toBe(true);
    expect(await consumeDiscountCode(db, tenant.business.id, created.id)).toBe(true);
    expect(await evaluateDiscountCode(db, 'LIM1', base)).toMatchObject({
      eligible: false,
      reason: 'usage_limit_reached',
    });
  });

  it('counts a use only while the code still applies at commit: enabled, unexpired, under its limit', async () => {
    const created = await fixed('RECHECK1', 1000, { is_usage_limit: true, usage_limit: 5 });
    const usage = async () =>
      (
        await db
          .selectFrom('discount_codes')
          .select('current_usage')
          .where('id', '=', created.id)
          .executeTakeFirstOrThrow()
      ).current_usage;
    // Disabled by the merchant after a buyer's checkout evaluated it.
    await db.updateTable('discount_codes').set({ is_enabled: false }).where('id', '=', created.id).execute();
    expect(await consumeDiscountCode(db, tenant.business.id, created.id)).toBe(false);
    // Expired meanwhile.
    await db
      .updateTable('discount_codes')
      .set({ is_enabled: true, is_expiry: true, expiry_time: new Date(Date.now() - 1000) })
      .where('id', '=', created.id)
      .execute();
    expect(await consumeDiscountCode(db, tenant.business.id, created.id)).toBe(false);
    expect(await usage()).toBe(0);
    // Still valid: counted; another business's id never is.
    await db
      .updateTable('discount_codes')
      .set({ expiry_time: new Date(Date.now() + 3_600_000) })
      .where('id', '=', created.id)
      .execute();
    expect(await consumeDiscountCode(db, tenant.business.id + 1_000_000, created.id)).toBe(false);
    expect(await consumeDiscountCode(db, tenant.business.id, created.id)).toBe(true);
    expect(await usage()).toBe(1);
  });

  it('page_not_allowed outside the listed pages (and for storefront orders without a page)', async () => {
    const page = await insertPage(tenant, 'A');
    const otherPage = await insertPage(tenant, 'B');
    await fixed('PAGE1', 1000, { is_limited_to_pages: true, page_ids: [page.id] });
    expect((await evaluateDiscountCode(db, 'PAGE1', { ...base, pageId: page.id })).eligible).toBe(true);
    for (const pageId of [otherPage.id, null, undefined]) {
      expect(await evaluateDiscountCode(db, 'PAGE1', { ...base, pageId })).toMatchObject({
        eligible: false,
        reason: 'page_not_allowed',
      });
    }
  });

  it('payment_method_not_allowed outside the listed methods or before one is chosen', async () => {
    await fixed('PAY1', 1000, { is_limited_to_payment_methods: true, payment_methods: ['qris', 'va'] });
    expect((await evaluateDiscountCode(db, 'PAY1', { ...base, paymentMethod: 'qris' })).eligible).toBe(true);
    for (const paymentMethod of ['cod', null]) {
      expect(await evaluateDiscountCode(db, 'PAY1', { ...base, paymentMethod })).toMatchObject({
        eligible: false,
        reason: 'payment_method_not_allowed',
        message: 'This discount code is only valid with these payment methods: qris, va.',
      });
    }
  });

  it('minimum_not_met below the minimum product price; equal passes', async () => {
    await fixed('MIN1', 1000, { is_minimum_revenue: true, minimum_revenue: '100000' });
    expect(await evaluateDiscountCode(db, 'MIN1', { ...base, productPrice: '99999.99' })).toMatchObject({
      eligible: false,
      reason: 'minimum_not_met',
      message: 'This discount code needs a minimum purchase of 100000.00.',
    });
    expect((await evaluateDiscountCode(db, 'MIN1', { ...base, productPrice: '100000' })).eligible).toBe(true);
  });

  it('reports the first failing rule in a fixed order', async () => {
    await fixed('MANY', 1000, {
      is_enabled: false,
      is_expiry: true,
      expiry_time: '2001-01-01T00:00:00Z',
      is_minimum_revenue: true,
      minimum_revenue: 1_000_000,
    });
    expect((await evaluateDiscountCode(db, 'MANY', base)).reason).toBe('inactive');
  });
});

describe('evaluateDiscountCode: amounts', () => {
  const amounts = async (code: string, context: Partial<DiscountContext> = {}) => {
    const result = await evaluateDiscountCode(db, code, { ...base, ...context });
    expect(result.eligible).toBe(true);
    return [result.productDiscount, result.shippingDiscount];
  };

  it('fixed: the amount, never more than the product price', async () => {
    await fixed('F10K', '10000');
    expect(await amounts('F10K')).toEqual(['10000.00', '0.00']);
    expect(await amounts('F10K', { productPrice: '7500.50' })).toEqual(['7500.50', '0.00']);
    expect(await amounts('F10K', { productPrice: '0' })).toEqual(['0.00', '0.00']);
    expect(await amounts('F10K', { productPrice: 'garbage' })).toEqual(['0.00', '0.00']);
    expect(await amounts('F10K', { productPrice: '-5' })).toEqual(['0.00', '0.00']);
  });

  it('fixed zero-amount codes are valid (attribution codes)', async () => {
    await fixed('ZERO', 0);
    expect(await amounts('ZERO')).toEqual(['0.00', '0.00']);
  });

  it('percentage: rounded half up to the cent, capped by max_amount when is_max_amount', async () => {
    const pct = (code: string, percentage: number, extra: Record<string, unknown> = {}) =>
      createCode(tenant, {
        code,
        applied_to: 'product_price',
        amount_type: 'percentage',
        percentage,
        is_max_amount: false,
        ...extra,
      });
    await pct('P10', 10);
    expect(await amounts('P10', { productPrice: '150000.55' })).toEqual(['15000.06', '0.00']);
    expect(await amounts('P10', { productPrice: '150000.54' })).toEqual(['15000.05', '0.00']);
    await pct('P15', 15);
    expect(await amounts('P15', { productPrice: '99999' })).toEqual(['14999.85', '0.00']);
    await pct('P100', 100);
    expect(await amounts('P100', { productPrice: '12345.67' })).toEqual(['12345.67', '0.00']);
    await pct('P50CAP', 50, { is_max_amount: true, max_amount: 25000 });
    expect(await amounts('P50CAP', { productPrice: '100000' })).toEqual(['25000.00', '0.00']);
    expect(await amounts('P50CAP', { productPrice: '30000' })).toEqual(['15000.00', '0.00']);
    // A stored cap is ignored while is_max_amount is off.
    await pct('P50NOCAP', 50, { is_max_amount: false, max_amount: 25000 });
    expect(await amounts('P50NOCAP', { productPrice: '100000' })).toEqual(['50000.00', '0.00']);
  });

  it('shipping codes discount the shipping cost only, never beyond it', async () => {
    await createCode(tenant, {
      code: 'SHIPF',
      applied_to: 'shipping_cost',
      amount_type: 'fixed',
      amount: 10000,
    });
    expect(await amounts('SHIPF')).toEqual(['0.00', '10000.00']);
    expect(await amounts('SHIPF', { shippingCost: '9000' })).toEqual(['0.00', '9000.00']);
    expect(await amounts('SHIPF', { shippingCost: '0' })).toEqual(['0.00', '0.00']);
    await createCode(tenant, {
      code: 'SHIPP',
      applied_to: 'shipping_cost',
      amount_type: 'percentage',
      percentage: 50,
      is_max_amount: true,
      max_amount: 8000,
    });
    expect(await amounts('SHIPP', { shippingCost: '15000' })).toEqual(['0.00', '7500.00']);
    expect(await amounts('SHIPP', { shippingCost: '19000' })).toEqual(['0.00', '8000.00']);
  });
});

describe('consumeDiscountCode', () => {
  const usage = async (id: number) =>
    (
      await db
        .selectFrom('discount_codes')
        .select('current_usage')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).current_usage;

  it('limit 5, 20 parallel consumers in separate transactions: exactly 5 succeed', async () => {
    const created = await fixed('RUSH5', 1000, { is_usage_limit: true, usage_limit: 5 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute((trx) => consumeDiscountCode(trx, tenant.business.id, created.id)),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await usage(created.id)).toBe(5);
    expect((await evaluateDiscountCode(db, 'RUSH5', base)).reason).toBe('usage_limit_reached');
  });

  it('counts every use of an unlimited code, and nothing when the transaction rolls back', async () => {
    const created = await fixed('FREE', 1000);
    expect(await consumeDiscountCode(db, tenant.business.id, created.id)).toBe(true);
    expect(await consumeDiscountCode(db, tenant.business.id, created.id)).toBe(true);
    await expect(
      db.transaction().execute(async (trx) => {
        await consumeDiscountCode(trx, tenant.business.id, created.id);
        throw new Error('checkout failed');
      }),
    ).rejects.toThrow('checkout failed');
    expect(await usage(created.id)).toBe(2);
  });

  it("never counts another business's code", async () => {
    const created = await fixed('OWNED', 1000);
    const other = await createTenant('Pencuri');
    expect(await consumeDiscountCode(db, other.business.id, created.id)).toBe(false);
    expect(await usage(created.id)).toBe(0);
  });

  it('a used code can no longer be deleted', async () => {
    const created = await fixed('BUSY', 1000);
    await consumeDiscountCode(db, tenant.business.id, created.id);
    expect((await tenant.request('DELETE', `/v3/discount-codes/${created.id}`)).statusCode).toBe(409);
  });
});
