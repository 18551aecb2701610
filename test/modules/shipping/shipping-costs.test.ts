import { beforeAll, describe, expect, it } from 'vitest';
import { setStoreCouriers } from '../../../src/modules/shipping/couriers-admin.ts';
import { createTenant, type Tenant } from '../../helpers/tenants.ts';
import { PLACES, warehouseAt, warmUp } from './fixtures.ts';

beforeAll(warmUp);

const COSTS = '/v3/shipping-costs';
const SERVICES = '/v3/shipping-costs/search-courier-service';

const JNE = { id: 8, code: 'jne', name: 'JNE', courier_type: 'standard' };

function costsOf(res: {
  json(): { data: Array<{ courier_service: { courier: { code: string }; code: string }; cost: string }> };
}) {
  return res.json().data.map((r) => `${r.courier_service.courier.code}:${r.courier_service.code}=${r.cost}`);
}

async function expectInsufficientScope(tenant: Tenant, url: string, body: unknown) {
  const key = await tenant.restrictedKey(['product:list']);
  const res = await tenant.request('POST', url, { body, key });
  expect(res.statusCode, res.body).toBe(403);
  expect(res.json().error_code).toBe('insufficient_scope');
}

describe('searchShippingCosts', () => {
  it('prices every service of the requested couriers, cheapest first', async () => {
    const tenant = await createTenant('Ongkir');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    const res = await tenant.request('POST', COSTS, {
      body: {
        courier_codes: ['jne'],
        location_id: PLACES.kemayoran,
        warehouse_id: warehouse.id,
        weight: 1300,
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      data: [
        {
          cost: '6400.00',
          cost_source: 'sandbox',
          courier_service: { id: 17, code: 'OKE', name: 'JNE Ongkos Kirim Ekonomis', courier: JNE },
          etd: '2-3',
          weight: 1300,
        },
        {
          cost: '8000.00',
          cost_source: 'sandbox',
          courier_service: { id: 15, code: 'REG', name: 'JNE Reguler', courier: JNE },
          etd: '1-2',
          weight: 1300,
        },
        {
          cost: '12800.00',
          cost_source: 'sandbox',
          courier_service: { id: 16, code: 'YES', name: 'JNE Yakin Esok Sampai', courier: JNE },
          etd: '1',
          weight: 1300,
        },
        {
          // Trucking charges at least 10 kg.
          cost: '48000.00',
          cost_source: 'sandbox',
          courier_service: { id: 18, code: 'JTR', name: 'JNE Trucking', courier: JNE },
          etd: '2-4',
          weight: 1300,
        },
      ],
      is_paginated: false,
    });
  });

  it('charges more the farther the destination: city < province < island group < elsewhere', async () => {
    const tenant = await createTenant('Ongkir zona');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    const regCost = async (locationId: number) => {
      const res = await tenant.request('POST', COSTS, {
        body: { courier_codes: ['jne'], location_id: locationId, warehouse_id: warehouse.id, weight: 1000 },
      });
      expect(res.statusCode, res.body).toBe(200);
      const reg = res
        .json()
        .data.find((r: { courier_service: { id: number } }) => r.courier_service.id === 15);
      return [reg.cost, reg.etd];
    };
    expect(await regCost(PLACES.kemayoran)).toEqual(['8000.00', '1-2']);
    expect(await regCost(PLACES.tebet)).toEqual(['11000.00', '2-3']);
    expect(await regCost(PLACES.bandung)).toEqual(['15000.00', '2-4']);
    expect(await regCost(PLACES.makassar)).toEqual(['36000.00', '3-6']);
    expect(await regCost(PLACES.jayapura)).toEqual(['52000.00', '5-8']);
  });

  it("rounds weight up to whole kilograms within each courier's tolerance", async () => {
    const tenant = await createTenant('Ongkir berat');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    const price = async (weight: number) => {
      const res = await tenant.request('POST', COSTS, {
        body: {
          courier_codes: ['jne', 'jnt'],
          location_id: PLACES.kemayoran,
          warehouse_id: warehouse.id,
          weight,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      return costsOf(res).filter((c) => c.startsWith('jne:REG') || c.startsWith('jnt:EZ'));
    };
    // JNE forgives 300 g over a kilogram, J&T 200 g; at least 1 kg is charged.
    expect(await price(1)).toEqual(['jnt:EZ=7900.00', 'jne:REG=8000.00']);
    expect(await price(1200)).toEqual(['jnt:EZ=7900.00', 'jne:REG=8000.00']);
    expect(await price(1300)).toEqual(['jne:REG=8000.00', 'jnt:EZ=15800.00']);
    expect(await price(1301)).toEqual(['jnt:EZ=15800.00', 'jne:REG=16000.00']);
  });

  it('ignores repeated courier codes and is the same on every call', async () => {
    const tenant = await createTenant('Ongkir ulang');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    const body = {
      courier_codes: ['sicepat', 'sicepat', 'anteraja'],
      location_id: PLACES.tebet,
      postal_code: '12810',
      warehouse_id: warehouse.id,
      weight: 2500,
    };
    const first = await tenant.request('POST', COSTS, { body });
    const second = await tenant.request('POST', COSTS, { body });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.body).toBe(second.body);
    // Same-day services run only within a city.
    expect(costsOf(first)).toEqual([
      'sicepat:HALU=25200.00',
      'anteraja:REG=30900.00',
      'sicepat:REG=31500.00',
      'anteraja:ND=49200.00',
      'sicepat:BEST=50400.00',
      'sicepat:GOKIL=63000.00',
    ]);
  });

  it('rejects bad input with field errors', async () => {
    const tenant = await createTenant('Ongkir 422');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    const bad = await tenant.request('POST', COSTS, {
      body: { courier_codes: ['fedex'], location_id: 'x', warehouse_id: warehouse.id, weight: 0 },
    });
    expect(bad.statusCode, bad.body).toBe(422);
    expect(bad.json()).toMatchObject({
      error_code: 'validation_failed',
      errors: {
        'courier_codes.0': expect.any(Array),
        location_id: expect.any(Array),
        weight: expect.any(Array),
      },
    });
    const missing = await tenant.request('POST', COSTS, { body: {} });
    expect(missing.statusCode).toBe(422);
    expect(Object.keys(missing.json().errors).sort()).toEqual([
      'courier_codes',
      'location_id',
      'warehouse_id',
      'weight',
    ]);
    const empty = await tenant.request('POST', COSTS, {
      body: { courier_codes: [], location_id: PLACES.tebet, warehouse_id: warehouse.id, weight: 10 },
    });
    expect(empty.json().errors).toHaveProperty('courier_codes');
    const unknownPlace = await tenant.request('POST', COSTS, {
      body: { courier_codes: ['jne'], location_id: 999999, warehouse_id: warehouse.id, weight: 10 },
    });
    expect(unknownPlace.statusCode).toBe(422);
    expect(unknownPlace.json().errors).toEqual({ location_id: ['is not a known location'] });
  });

  it('refuses warehouses that cannot ship, and hides other businesses', async () => {
    const tenant = await createTenant('Ongkir gudang');
    const other = await createTenant('Ongkir lain');
    const foreign = await warehouseAt(other, PLACES.gambir);
    const inactive = await warehouseAt(tenant, PLACES.gambir, { isActive: false });
    const nowhere = await warehouseAt(tenant, null);
    const body = (warehouse_id: number) => ({
      body: { courier_codes: ['jne'], location_id: PLACES.tebet, warehouse_id, weight: 1000 },
    });
    const notFound = await tenant.request('POST', COSTS, body(foreign.id));
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toMatchObject({ error_code: 'not_found', message: 'Warehouse not found' });
    const off = await tenant.request('POST', COSTS, body(inactive.id));
    expect(off.statusCode).toBe(422);
    expect(off.json().errors).toEqual({ warehouse_id: ['is inactive'] });
    const unlocated = await tenant.request('POST', COSTS, body(nowhere.id));
    expect(unlocated.statusCode).toBe(422);
    expect(unlocated.json().errors).toEqual({ warehouse_id: ['has no location to ship from'] });
  });

  it('needs the order:create scope', async () => {
    const tenant = await createTenant('Ongkir scope');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    await expectInsufficientScope(tenant, COSTS, {
      courier_codes: ['jne'],
      location_id: PLACES.tebet,
      warehouse_id: warehouse.id,
      weight: 1000,
    });
    const key = await tenant.restrictedKey(['order:create']);
    const ok = await tenant.request('POST', COSTS, {
      key,
      body: { courier_codes: ['jne'], location_id: PLACES.tebet, warehouse_id: warehouse.id, weight: 1000 },
    });
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('searchCourierServices', () => {
  const request = (tenant: Tenant, body: Record<string, unknown>) =>
    tenant.request('POST', SERVICES, { body: { store_id: tenant.store.id, weight: 1000, ...body } });

  it("answers the store's couriers with the warehouse, COD and pickup flags", async () => {
    const tenant = await createTenant('Kurir');
    const warehouse = await warehouseAt(tenant, PLACES.gambir, {
      name: 'Gudang Gambir',
      address: 'Jl. Merdeka 1',
    });
    await setStoreCouriers(tenant.ctx.database.db, { storeId: tenant.store.id, couriers: ['jne'] });
    const res = await request(tenant, {
      location_id: PLACES.tebet,
      warehouse_id: warehouse.id,
      payment_method: 'bank_transfer',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.is_paginated).toBe(false);
    expect(body.data.map((r: { courier_service: { code: string } }) => r.courier_service.code)).toEqual([
      'OKE',
      'REG',
      'YES',
      'JTR',
    ]);
    expect(body.data[1]).toEqual({
      cost: '11000.00',
      cost_source: 'sandbox',
      courier_service: { id: 15, code: 'REG', name: 'JNE Reguler', courier: JNE },
      etd: '2-3',
      is_cod: false,
      is_pickup: true,
      shipment_provider_code: 'sandbox',
      warehouse: {
        id: warehouse.id,
        unique_id: warehouse.unique_id,
        name: 'Gudang Gambir',
        address: 'Jl. Merdeka 1',
        province_name: 'DKI Jakarta',
        city_name: 'Kota Jakarta Pusat',
        subdistrict_name: 'Gambir',
      },
      weight: 1000,
    });
  });

  it('offers every courier when the store has none configured', async () => {
    const tenant = await createTenant('Kurir semua');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    const res = await request(tenant, {
      location_id: PLACES.tebet,
      warehouse_id: warehouse.id,
      payment_method: 'va',
    });
    const couriers = new Set(
      res
        .json()
        .data.map((r: { courier_service: { courier: { code: string } } }) => r.courier_service.courier.code),
    );
    expect(couriers.size).toBe(24);
  });

  it('keeps only COD-capable services for cod, unless is_show_all', async () => {
    const tenant = await createTenant('Kurir COD');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    await setStoreCouriers(tenant.ctx.database.db, {
      storeId: tenant.store.id,
      couriers: ['jne', 'sicepat'],
    });
    const cod = await request(tenant, {
      location_id: PLACES.bandung,
      warehouse_id: warehouse.id,
      payment_method: 'cod',
    });
    expect(cod.statusCode, cod.body).toBe(200);
    const services = cod
      .json()
      .data.map((r: { courier_service: { id: number }; is_cod: boolean }) => [
        r.courier_service.id,
        r.is_cod,
      ]);
    expect(services.sort((a: number[], b: number[]) => a[0]! - b[0]!)).toEqual([
      [3, true],
      [4, true],
      [5, true],
      [15, true],
      [17, true],
    ]);
    const all = await request(tenant, {
      location_id: PLACES.bandung,
      warehouse_id: warehouse.id,
      payment_method: 'cod',
      is_show_all: true,
    });
    const flags = new Map(
      all
        .json()
        .data.map((r: { courier_service: { id: number }; is_cod: boolean }) => [
          r.courier_service.id,
          r.is_cod,
        ]),
    );
    expect(flags.size).toBeGreaterThan(24);
    expect(flags.get(15)).toBe(true);
    expect(flags.get(16)).toBe(false);
    expect(flags.get(29)).toBe(false);
    // No courier collects cash in Papua in the sandbox.
    const papua = await request(tenant, {
      location_id: PLACES.jayapura,
      warehouse_id: warehouse.id,
      payment_method: 'cod',
    });
    expect(papua.json().data).toEqual([]);
    const papuaPaid = await request(tenant, {
      location_id: PLACES.jayapura,
      warehouse_id: warehouse.id,
      payment_method: 'qris',
    });
    expect(papuaPaid.json().data.length).toBeGreaterThan(0);
  });

  it('rejects bad input and hides other businesses', async () => {
    const tenant = await createTenant('Kurir 422');
    const other = await createTenant('Kurir lain');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    const bad = await request(tenant, {
      location_id: PLACES.tebet,
      warehouse_id: warehouse.id,
      payment_method: 'cash',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toHaveProperty('payment_method');
    const missing = await tenant.request('POST', SERVICES, { body: { is_show_all: 'maybe' } });
    expect(missing.statusCode).toBe(422);
    expect(Object.keys(missing.json().errors).sort()).toEqual([
      'is_show_all',
      'location_id',
      'payment_method',
      'store_id',
      'warehouse_id',
      'weight',
    ]);
    const foreignStore = await tenant.request('POST', SERVICES, {
      body: {
        store_id: other.store.id,
        location_id: PLACES.tebet,
        warehouse_id: warehouse.id,
        payment_method: 'va',
        weight: 100,
      },
    });
    expect(foreignStore.statusCode).toBe(404);
    expect(foreignStore.json().message).toBe('Store not found');
    const foreignWarehouse = await request(tenant, {
      location_id: PLACES.tebet,
      warehouse_id: (await warehouseAt(other, PLACES.gambir)).id,
      payment_method: 'va',
    });
    expect(foreignWarehouse.statusCode).toBe(404);
    expect(foreignWarehouse.json().message).toBe('Warehouse not found');
  });

  it('needs the order:create scope', async () => {
    const tenant = await createTenant('Kurir scope');
    const warehouse = await warehouseAt(tenant, PLACES.gambir);
    await expectInsufficientScope(tenant, SERVICES, {
      store_id: tenant.store.id,
      location_id: PLACES.tebet,
      warehouse_id: warehouse.id,
      payment_method: 'va',
      weight: 1000,
    });
  });
});
