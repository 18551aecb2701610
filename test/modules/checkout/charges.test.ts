import { describe, expect, it } from 'vitest';
import { toCents } from '../../../src/lib/money.ts';
import { percentOf, SERVICE_FEE_SCHEDULE, serviceFee } from '../../../src/modules/checkout/charges.ts';
import { pickFree } from '../../../src/modules/checkout/unique-code.ts';
import { STORE_PAYMENT_METHODS } from '../../../src/modules/stores/payment-methods.ts';

const rp = (value: string) => toCents(value);

describe('charge arithmetic', () => {
  it('takes percentages of cents exactly, to whole Rupiah', () => {
    expect(percentOf(rp('301455'), '2.9', 'ceil')).toBe(rp('8743'));
    expect(percentOf(rp('301455'), '2.9', 'half_up')).toBe(rp('8742'));
    expect(percentOf(rp('150'), '1', 'half_up')).toBe(rp('2'));
    expect(percentOf(rp('149'), '1', 'half_up')).toBe(rp('1'));
    expect(percentOf(rp('100000'), '0.0001', 'ceil')).toBe(rp('1'));
    expect(percentOf(rp('0'), '50', 'ceil')).toBe(0n);
    expect(percentOf(rp('1000'), 'abc', 'ceil')).toBe(0n);
    expect(percentOf(rp('1000'), 12.5, 'ceil')).toBe(rp('125'));
  });

  it('charges the documented fee per e-payment method and nothing otherwise', () => {
    const amount = rp('100000');
    expect(serviceFee('va', amount)).toBe(rp('4500'));
    expect(serviceFee('qris', amount)).toBe(rp('700'));
    expect(serviceFee('ovo', amount)).toBe(rp('1500'));
    expect(serviceFee('card', amount)).toBe(rp('4900'));
    expect(serviceFee('alfamart', amount)).toBe(rp('5000'));
    for (const method of ['bank_transfer', 'cod', 'no_payment', 'marketplace', 'unknown'])
      expect(serviceFee(method, amount)).toBe(0n);
    expect(serviceFee(null, amount)).toBe(0n);
    expect(serviceFee('va', 0n)).toBe(0n);
    // Every e-payment method has a schedule entry.
    for (const [code, method] of Object.entries(STORE_PAYMENT_METHODS))
      expect(code in SERVICE_FEE_SCHEDULE, code).toBe(method.is_epayment);
  });

  it('picks a free unique code when one exists', () => {
    const taken = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    for (let i = 0; i < 50; i++) expect(pickFree(10, taken)).toBe(10);
    const code = pickFree(3, new Set([1, 2, 3]));
    expect(code).toBeGreaterThanOrEqual(1);
    expect(code).toBeLessThanOrEqual(3);
  });
});
