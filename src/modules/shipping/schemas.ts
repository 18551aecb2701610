import { Type } from '@sinclair/typebox';
import { Collection, Nullable } from '../../http/schemas.ts';
import { STORE_PAYMENT_METHOD_CODES } from '../stores/payment-methods.ts';

export const COURIER_CODES = [
  'ninja',
  'ide',
  'sicepat',
  'sap',
  'ncs',
  'anteraja',
  'sentral',
  'jne',
  'jnt',
  'pos',
  'lion',
  'rex',
  'jtl',
  'tiki',
  'rpx',
  'pandu',
  'wahana',
  'pahala',
  'jet',
  'slis',
  'dse',
  'first',
  'star',
  'idl',
] as const;

/** The contract's order payment methods: the store methods plus `marketplace`. */
export const ORDER_PAYMENT_METHODS = [...STORE_PAYMENT_METHOD_CODES, 'marketplace'] as const;

const RecordId = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

/** Grams; a tonne bounds the arithmetic and is beyond any parcel service. */
const Weight = Type.Integer({
  minimum: 1,
  maximum: 1_000_000,
  description: 'Weight of the shipment in grams',
});
const PostalCode = Type.String({ maxLength: 10, description: 'Postal code of the destination' });
const Money = Type.String({ description: 'Decimal amount in Rupiah, e.g. "18000.00".' });

export const CourierCode = Type.Union(
  COURIER_CODES.map((code) => Type.Literal(code)),
  { title: 'CourierCode' },
);

export const ShippingCostRequest = Type.Object(
  {
    courier_codes: Type.Array(CourierCode, {
      minItems: 1,
      maxItems: COURIER_CODES.length,
      description: 'List of courier codes',
    }),
    location_id: RecordId('ID of the destination location'),
    postal_code: Type.Optional(PostalCode),
    warehouse_id: RecordId('ID of the warehouse'),
    weight: Weight,
  },
  { title: 'ShippingCostRequest' },
);

export const GetCourierServiceRequest = Type.Object(
  {
    is_show_all: Type.Optional(
      Type.Boolean({
        description:
          "true: every courier's services, whatever the store offers, and for cod also those that cannot collect cash (is_cod false).",
      }),
    ),
    location_id: RecordId('ID of the destination location'),
    payment_method: Type.Union(
      ORDER_PAYMENT_METHODS.map((code) => Type.Literal(code)),
      { description: 'Order payment method' },
    ),
    postal_code: Type.Optional(PostalCode),
    store_id: RecordId('ID of the store'),
    warehouse_id: RecordId('ID of the warehouse'),
    weight: Weight,
  },
  { title: 'GetCourierServiceRequest' },
);

export const SearchWarehouseRequest = Type.Object(
  {
    destination_id: RecordId('ID of the destination location'),
    order_id: Type.Optional(
      Type.String({
        maxLength: 36,
        pattern: '^(\\d{1,16}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$',
        description: 'Order being edited: UUIDv7, or a legacy numeric id (number or decimal string).',
      }),
    ),
    store_id: RecordId('ID of the store'),
    variants: Type.Array(
      Type.Object({
        variant_id: RecordId('ID of the product variant'),
        qty: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Quantity of the product variant' }),
      }),
      { minItems: 1, maxItems: 100, description: 'List of product variant ids and their quantities' },
    ),
  },
  { title: 'SearchWarehouseRequest' },
);

const CourierServiceLocationData = Type.Object(
  {
    id: Type.Integer({ description: 'Courier Service ID' }),
    code: Type.String({ description: 'Code for the courier service' }),
    name: Type.String({ description: 'Name of the courier service' }),
    courier: Type.Object(
      {
        id: Type.Integer(),
        code: Type.String(),
        name: Type.String(),
        courier_type: Type.Union([
          Type.Literal('instant'),
          Type.Literal('cashless'),
          Type.Literal('standard'),
        ]),
      },
      { title: 'CourierLocationData' },
    ),
  },
  { title: 'CourierServiceLocationData' },
);

const rateFields = {
  cost: Money,
  cost_source: Type.String({ description: 'Source of the cost (the shipping provider).' }),
  courier_service: CourierServiceLocationData,
  etd: Type.String({ description: 'Estimated days of delivery, e.g. "2-3".' }),
  weight: Type.Integer({ description: 'Weight of the shipment in grams' }),
};

export const ShippingCostResult = Type.Object(rateFields, { title: 'ShippingCostResult' });

export const CourierServiceResult = Type.Object(
  {
    ...rateFields,
    is_cod: Type.Boolean({ description: 'The order is cod and this service collects cash on this route.' }),
    is_pickup: Type.Boolean({ description: 'The courier picks the parcel up at the warehouse.' }),
    shipment_provider_code: Type.String(),
    warehouse: Type.Object(
      {
        id: Type.Integer(),
        unique_id: Type.String(),
        name: Type.String(),
        address: Nullable(Type.String()),
        province_name: Type.String(),
        city_name: Type.String(),
        subdistrict_name: Type.String(),
      },
      { title: 'ForLocationWarehouse' },
    ),
  },
  { title: 'CourierServiceResult' },
);

const Location = Type.Object(
  {
    id: Type.Integer(),
    province_id: Type.Integer(),
    province_name: Type.String(),
    city_id: Type.Integer(),
    city_name: Type.String(),
    subdistrict_name: Type.String(),
    display: Type.String(),
  },
  { title: 'Location' },
);

export const SearchWarehouseResult = Type.Object(
  {
    destination: Location,
    distance_km: Nullable(
      Type.Number({ description: 'Always null: the region data has no coordinates to measure by.' }),
    ),
    warehouse: Type.Object(
      {
        id: Type.Integer(),
        unique_id: Type.String(),
        name: Type.String(),
        business: Type.Object(
          { id: Type.Integer(), username: Type.String() },
          { title: 'BusinessUsernameOnly' },
        ),
        warehouse_address: Type.Object(
          {
            id: Type.Integer({ description: 'One address per warehouse: the warehouse id.' }),
            address: Nullable(Type.String()),
            location: Type.Integer(),
            postal_code: Nullable(Type.String()),
            province: Type.String(),
            city: Type.String(),
            subdistrict: Type.String(),
          },
          { title: 'WarehouseAddressLocationData' },
        ),
      },
      { title: 'ForLocationSearchWarehouse' },
    ),
    warehouse_partner: Type.Null({ description: "Partners' warehouses are not offered yet." }),
  },
  { title: 'SearchWarehouseResult' },
);

export const ShippingCostList = Collection(ShippingCostResult, 'SearchShippingCostsResponseBody');
export const CourierServiceList = Collection(CourierServiceResult, 'SearchCourierServicesResponseBody');
export const SearchWarehouseList = Collection(SearchWarehouseResult, 'SearchWarehousesResponseBody');
