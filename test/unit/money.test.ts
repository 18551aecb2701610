import { describe, expect, it } from 'vitest';
import { beforeTax, formatCents, normalizeMoney, toCents } from '../../src/lib/money.ts';

describe('money', () => {
  it('parses and formats exact decimal amounts', () => {
    expect(toCents('150000')).toBe(15_000_000n);
    expect(toCents('0.1')).toBe(10n);
    expect(toCents(0.1 + 0.2)).toBe(30n);
    expect(toCents('19999.995')).toBe(2_000_000n);
    expect(formatCents(-1234n)).toBe('-12.34');
    expect(normalizeMoney(150000)).toBe('150000.00');
    expect(normalizeMoney('99999999999999999.99')).toBe('99999999999999999.99');
  });

  it('rejects what is not an amount', () => {
    expect(() => toCents('1e5')).toThrow(RangeError);
    expect(() => toCents('abc')).toThrow(RangeError);
    expect(() => toCents(Number.NaN)).toThrow(RangeError);
  });

  it('takes tax out of tax-inclusive prices to the cent', () => {
    expect(beforeTax('111000', '0.11')).toBe('100000.00');
    expect(beforeTax('150000', '0')).toBe('150000.00');
    expect(beforeTax('100', '0.11')).toBe('90.09');
    expect(beforeTax('150000.00', 0.1)).toBe('136363.64');
  });
});
