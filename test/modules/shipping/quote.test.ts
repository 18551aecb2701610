import { beforeAll, describe, expect, it } from 'vitest';
import { setStoreCouriers } from '../../../src/modules/shipping/couriers-admin.ts';
import {
  quoteShipping,
  type ShippingQuoteRequest,
  shippingCostFor,
} from '../../../src/modules/shipping/quote.ts';
import { COURIER_CODES } from '../../../src/modules/shipping/schemas.ts';
import { SANDBOX_COURIERS, SANDBOX_SERVICES } from '../../../src/providers/shipping/sandbox.ts';
import { insertProduct, setStock } from '../../helpers/catalog.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { PLACES, setStoreWarehouse, warehouseAt, warmUp } from './fixtures.ts';

beforeAll(warmUp);

const db = (tenant: Tenant) => tenant.ctx.database.db;

/** A tenant with one tracked variant stocked in Bandung (10) and Tebet (2). */
async function setup(name: string) {
  const tenant = await createTenant(name);
  const variant = (await insertProduct(tenant, { isInventory: true })).variants[0]!;
  const bandung = await warehouseAt(tenant, PLACES.bandung);
  const tebet = await warehouseAt(tenant, PLACES.tebet);
  await setStock(tenant, bandung.id, variant.id, 10);
  await setStock(tenant, tebet.id, variant.id, 2);
  const request = (overrides: Partial<ShippingQuoteRequest> = {}): ShippingQuoteRequest => ({
    businessId: tenant.business.id,
    storeId: tenant.store.id,
    destinationLocationId: PLACES.kemayoran,
    paymentMethod: 'bank_transfer',
    lines: [{ variant_id: variant.id, quantity: 1, weight_grams: 700 }],
    ...overrides,
  });
  return { tenant, variant, bandung, tebet, request };
}

describe('quoteShipping', () => {
  it('ships from the nearest warehouse with stock, cheapest option first', async () => {
    const { tenant, tebet, request } = await setup('Quote');
    await setStoreCouriers(db(tenant), { storeId: tenant.store.id, couriers: ['jne'] });
    const options = await quoteShipping(db(tenant), request());
    expect(options).toEqual([
      {
        courier_service_id: 17,
        courier_code: 'jne',
        service_code: 'OKE',
        name: 'JNE Ongkos Kirim Ekonomis',
        cost: '8800.00',
        etd: '3-5',
        is_cod: false,
        warehouse_unique_id: tebet.unique_id,
        courier_aggregator_code: null,
      },
      expect.objectContaining({ courier_service_id: 15, cost: '11000.00', etd: '2-3' }),
      expect.objectContaining({ courier_service_id: 16, cost: '17600.00', etd: '1' }),
      expect.objectContaining({ courier_service_id: 18, cost: '66000.00', etd: '3-6' }),
    ]);
  });

  it('weighs quantity × unit weight and moves to a warehouse that has enough stock', async () => {
    const { tenant, variant, bandung, request } = await setup('Quote berat');
    await setStoreCouriers(db(tenant), { storeId: tenant.store.id, couriers: ['jne'] });
    // 3 × 700 g = 2.1 kg -> 2 kg with JNE's tolerance; Tebet holds only 2, so Bandung ships.
    const reg = await shippingCostFor(db(tenant), {
      ...request({ lines: [{ variant_id: variant.id, quantity: 3, weight_grams: 700 }] }),
      courierServiceId: 15,
    });
    expect(reg).toMatchObject({ cost: '30000.00', etd: '2-4', warehouse_unique_id: bandung.unique_id });
  });

  it('offers every courier by default and only COD-capable services, marked is_cod, for cod', async () => {
    const { tenant, request } = await setup('Quote COD');
    const all = await quoteShipping(db(tenant), request());
    expect(new Set(all.map((o) => o.courier_code)).size).toBe(COURIER_CODES.length);
    expect(all.every((o) => !o.is_cod)).toBe(true);
    const costs = all.map((o) => Number(o.cost));
    expect(costs).toEqual([...costs].sort((a, b) => a - b));

    const cod = await quoteShipping(db(tenant), request({ paymentMethod: 'cod' }));
    expect(cod.map((o) => o.courier_service_id).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 7, 11, 15, 17, 19, 20, 23, 25, 38,
    ]);
    expect(cod.every((o) => o.is_cod)).toBe(true);
    expect(
      await quoteShipping(
        db(tenant),
        request({ paymentMethod: 'cod', destinationLocationId: PLACES.jayapura }),
      ),
    ).toEqual([]);
  });

  it('restricts to the given warehouse and courier service', async () => {
    const { tenant, bandung, request } = await setup('Quote pilih');
    const fromBandung = await quoteShipping(db(tenant), request({ warehouseUniqueId: bandung.unique_id }));
    expect(fromBandung.length).toBeGreaterThan(0);
    expect(fromBandung.every((o) => o.warehouse_unique_id === bandung.unique_id)).toBe(true);
    expect(await quoteShipping(db(tenant), request({ warehouseUniqueId: 'warehouse_unknown' }))).toEqual([]);

    const one = await shippingCostFor(db(tenant), { ...request(), courierServiceId: 3 });
    expect(one).toMatchObject({ courier_service_id: 3, courier_code: 'sicepat', service_code: 'REG' });
    await setStoreCouriers(db(tenant), { storeId: tenant.store.id, couriers: ['jne'] });
    expect(await shippingCostFor(db(tenant), { ...request(), courierServiceId: 3 })).toBeNull();
    expect(await shippingCostFor(db(tenant), { ...request(), courierServiceId: 99_999 })).toBeNull();
    // Same-day service, but Tebet is not in the destination's city.
    await setStoreCouriers(db(tenant), { storeId: tenant.store.id, couriers: 'all' });
    expect(await shippingCostFor(db(tenant), { ...request(), courierServiceId: 13 })).toBeNull();
  });

  it("uses the store's own warehouse when set", async () => {
    const { tenant, bandung, request } = await setup('Quote gudang toko');
    await setStoreWarehouse(tenant, bandung.id);
    const options = await quoteShipping(db(tenant), request());
    expect(new Set(options.map((o) => o.warehouse_unique_id))).toEqual(new Set([bandung.unique_id]));
  });

  it('is empty when nothing can be shipped', async () => {
    const { tenant, variant, request } = await setup('Quote kosong');
    const other = await createTenant('Quote lain');
    const foreign = (await insertProduct(other)).variants[0]!;
    expect(await quoteShipping(db(tenant), request({ lines: [] }))).toEqual([]);
    expect(await quoteShipping(db(tenant), request({ destinationLocationId: 999_999 }))).toEqual([]);
    expect(
      await quoteShipping(
        db(tenant),
        request({ lines: [{ variant_id: variant.id, quantity: 11, weight_grams: 1 }] }),
      ),
    ).toEqual([]);
    expect(
      await quoteShipping(
        db(tenant),
        request({ lines: [{ variant_id: foreign.id, quantity: 1, weight_grams: 1 }] }),
      ),
    ).toEqual([]);
    expect(await quoteShipping(db(tenant), request({ storeId: other.store.id }))).toEqual([]);
  });

  it('agrees with the business courier-service search for the same shipment', async () => {
    const { tenant, tebet, request } = await setup('Quote sama');
    const options = await quoteShipping(db(tenant), request({ paymentMethod: 'cod' }));
    const res = await tenant.request('POST', '/v3/shipping-costs/search-courier-service', {
      body: {
        store_id: tenant.store.id,
        warehouse_id: tebet.id,
        location_id: PLACES.kemayoran,
        payment_method: 'cod',
        weight: 700,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      res
        .json()
        .data.map((r: { courier_service: { id: number }; cost: string; etd: string; is_cod: boolean }) => [
          r.courier_service.id,
          r.cost,
          r.etd,
          r.is_cod,
        ]),
    ).toEqual(options.map((o) => [o.courier_service_id, o.cost, o.etd, o.is_cod]));
  });

  it('prices every seeded courier service in the sandbox', async () => {
    const { tenant } = await setup('Quote katalog');
    const services = await db(tenant)
      .selectFrom('courier_services')
      .select(['courier_code', 'service_code'])
      .execute();
    expect(services).toHaveLength(Object.keys(SANDBOX_SERVICES).length);
    for (const s of services) expect(SANDBOX_SERVICES).toHaveProperty(`${s.courier_code}:${s.service_code}`);
    expect(Object.keys(SANDBOX_COURIERS).sort()).toEqual([...COURIER_CODES].sort());
  });
});
