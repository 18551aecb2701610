import { describe, expect, it } from 'vitest';
import { chargedKilograms, sandboxRate } from '../../../src/providers/shipping/sandbox.ts';

const place = (provinceId: number, cityId: number) => ({
  locationId: cityId * 100 + 1,
  provinceId,
  cityId,
  postalCode: null,
});

describe('sandbox shipping rates', () => {
  it('charges whole kilograms, forgiving the tolerance, at least the minimum', () => {
    expect(chargedKilograms(0, 300)).toBe(1);
    expect(chargedKilograms(999, 300)).toBe(1);
    expect(chargedKilograms(1000, 300)).toBe(1);
    expect(chargedKilograms(1300, 300)).toBe(1);
    expect(chargedKilograms(1301, 300)).toBe(2);
    expect(chargedKilograms(1001, 0)).toBe(2);
    expect(chargedKilograms(2500, 300, 10)).toBe(10);
    expect(chargedKilograms(12_400, 300, 10)).toBe(13);
  });

  it('prices a route the same every time and farther routes higher', () => {
    const jakarta = place(31, 3171);
    const query = (destination: ReturnType<typeof place>) => ({
      origin: jakarta,
      destination,
      weightGrams: 1000,
    });
    const reg = { courierCode: 'sicepat', serviceCode: 'REG' };
    const costs = [place(31, 3171), place(31, 3174), place(32, 3273), place(12, 1275), place(91, 9171)].map(
      (destination) => sandboxRate(query(destination), reg)?.cost,
    );
    expect(costs).toEqual([7600, 10500, 14300, 26600, 49400]);
    expect(sandboxRate(query(place(31, 3174)), reg)).toEqual(sandboxRate(query(place(31, 3174)), reg));
  });

  it('knows nothing of unknown services and runs same-day only within a city', () => {
    const jakarta = place(31, 3171);
    const query = { origin: jakarta, destination: place(31, 3174), weightGrams: 500 };
    expect(sandboxRate(query, { courierCode: 'fedex', serviceCode: 'REG' })).toBeNull();
    expect(sandboxRate(query, { courierCode: 'jne', serviceCode: 'XYZ' })).toBeNull();
    expect(sandboxRate(query, { courierCode: 'anteraja', serviceCode: 'SD' })).toBeNull();
    expect(
      sandboxRate({ ...query, destination: jakarta }, { courierCode: 'anteraja', serviceCode: 'SD' }),
    ).toEqual({
      courierCode: 'anteraja',
      serviceCode: 'SD',
      cost: 16400,
      etd: '0-1',
      isCodAvailable: true,
      chargedWeightGrams: 1000,
    });
  });
});
