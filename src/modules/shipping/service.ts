/**
 * The business Shipping routes: the same warehouse choice and rate engine checkout uses, asked
 * directly by a merchant's order tools.
 */
import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import {
  type ShippingPlace,
  type ShippingProvider,
  shippingProvider,
} from '../../providers/shipping/index.ts';
import * as q from './queries.ts';
import { type RatedService, rateServices } from './rates.ts';
import type * as schemas from './schemas.ts';
import { fulfillingWarehouses, placeOf, stockRequirement } from './warehouses.ts';

async function destinationOf(db: Db, field: string, locationId: number, postalCode?: string) {
  const location = await q.findLocation(db, locationId);
  if (!location) throw errors.invalidField(field, 'is not a known location');
  const place: ShippingPlace = {
    locationId: location.id,
    provinceId: location.province_id,
    cityId: location.city_id,
    postalCode: postalCode?.trim() || null,
  };
  return { location, place };
}

/** The business's warehouse as a shipping origin: 404 if not its own, 422 if it cannot ship. */
async function originWarehouse(db: Db, businessId: number, warehouseId: number) {
  const warehouse = await q.findWarehouse(db, businessId, warehouseId);
  if (!warehouse) throw errors.notFound('Warehouse not found');
  if (!warehouse.is_active) throw errors.invalidField('warehouse_id', 'is inactive');
  const origin = placeOf(warehouse);
  if (!origin) throw errors.invalidField('warehouse_id', 'has no location to ship from');
  return { warehouse, origin };
}

async function requireStore(db: Db, businessId: number, storeId: number) {
  const store = await q.findStoreShipping(db, businessId, storeId);
  if (!store) throw errors.notFound('Store not found');
  return store;
}

function courierServiceOf({ service }: RatedService) {
  return {
    id: service.id,
    code: service.service_code,
    name: service.name,
    courier: {
      id: service.courier_id,
      code: service.courier_code,
      name: service.courier_name,
      courier_type: service.courier_type,
    },
  };
}

export async function searchShippingCosts(
  db: Db,
  businessId: number,
  body: Static<typeof schemas.ShippingCostRequest>,
  provider: ShippingProvider = shippingProvider(),
) {
  const { origin } = await originWarehouse(db, businessId, body.warehouse_id);
  const { place } = await destinationOf(db, 'location_id', body.location_id, body.postal_code);
  const rated = await rateServices(db, provider, {
    origin,
    destination: place,
    weightGrams: body.weight,
    courierCodes: [...new Set(body.courier_codes)],
    paymentMethod: null,
    keepNonCod: true,
  });
  return rated.map((r) => ({
    cost: r.cost,
    cost_source: provider.code,
    courier_service: courierServiceOf(r),
    etd: r.rate.etd,
    weight: body.weight,
  }));
}

export async function searchCourierServices(
  db: Db,
  businessId: number,
  body: Static<typeof schemas.GetCourierServiceRequest>,
  provider: ShippingProvider = shippingProvider(),
) {
  const store = await requireStore(db, businessId, body.store_id);
  const { warehouse, origin } = await originWarehouse(db, businessId, body.warehouse_id);
  const { place } = await destinationOf(db, 'location_id', body.location_id, body.postal_code);
  const showAll = body.is_show_all === true;
  const rated = await rateServices(db, provider, {
    origin,
    destination: place,
    weightGrams: body.weight,
    courierCodes: showAll || store.courier_codes.length === 0 ? null : store.courier_codes,
    paymentMethod: body.payment_method,
    keepNonCod: showAll,
  });
  const warehouseView = {
    id: warehouse.id,
    unique_id: warehouse.unique_id,
    name: warehouse.name,
    address: warehouse.address,
    province_name: warehouse.province_name ?? '',
    city_name: warehouse.city_name ?? '',
    subdistrict_name: warehouse.subdistrict_name ?? '',
  };
  return rated.map((r) => ({
    cost: r.cost,
    cost_source: provider.code,
    courier_service: courierServiceOf(r),
    etd: r.rate.etd,
    is_cod: r.isCod,
    is_pickup: r.service.is_pickup,
    shipment_provider_code: provider.code,
    warehouse: warehouseView,
    weight: body.weight,
  }));
}

/**
 * Warehouses able to ship these variants to the destination, best first (see
 * `fulfillingWarehouses`). `order_id` is accepted for the contract's "update order" use but does
 * not yet add back stock the order holds (orders do not reserve stock in a way this can read).
 */
export async function searchWarehouses(
  db: Db,
  businessId: number,
  body: Static<typeof schemas.SearchWarehouseRequest>,
) {
  const store = await requireStore(db, businessId, body.store_id);
  const { location, place } = await destinationOf(db, 'destination_id', body.destination_id);
  const lines = body.variants.map((line) => ({ variant_id: line.variant_id, quantity: line.qty }));
  const { required, unknown } = await stockRequirement(db, businessId, lines);
  if (unknown.length) {
    const fieldErrors: Record<string, string[]> = {};
    body.variants.forEach((line, index) => {
      if (unknown.includes(line.variant_id))
        fieldErrors[`variants.${index}.variant_id`] = ['is not a variant of this business'];
    });
    throw errors.validation(fieldErrors);
  }
  const warehouses = await fulfillingWarehouses(db, {
    businessId,
    storeWarehouseId: store.warehouse_id,
    destination: place,
    required,
  });
  const business = await q.businessUsername(db, businessId);
  const destination = {
    id: location.id,
    province_id: location.province_id,
    province_name: location.province_name,
    city_id: location.city_id,
    city_name: location.city_name,
    subdistrict_name: location.subdistrict_name,
    display: location.display,
  };
  return warehouses.map(({ row, origin }) => ({
    destination,
    distance_km: null,
    warehouse: {
      id: row.id,
      unique_id: row.unique_id,
      name: row.name,
      business: { id: business.id, username: business.username },
      warehouse_address: {
        id: row.id,
        address: row.address,
        location: origin.locationId,
        postal_code: row.postal_code,
        province: row.province_name ?? '',
        city: row.city_name ?? '',
        subdistrict: row.subdistrict_name ?? '',
      },
    },
    warehouse_partner: null,
  }));
}
