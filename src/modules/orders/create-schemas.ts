import { type Static, Type } from '@sinclair/typebox';
import { MAX_ITEM_QUANTITY, MAX_ITEMS } from '../checkout/schemas.ts';
import { VA_BANK_CODES } from '../stores/payment-methods.ts';
import { PAYMENT_METHODS, PLATFORMS } from './business-schemas.ts';

/** Request money fields are JSON numbers (S:242); answers carry decimal strings. */
const Amount = (description: string) =>
  Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000_000_000, description }));
const Text = (maxLength: number, description: string) =>
  Type.Optional(Type.String({ maxLength, description }));
const Id = (description: string) =>
  Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647, description }));

export const PaymentMethod = Type.Union(
  PAYMENT_METHODS.map((code) => Type.Literal(code)),
  { description: 'Order payment method' },
);
export const SubPaymentMethod = Type.Union(
  VA_BANK_CODES.map((code) => Type.Literal(code)),
  { description: 'Xendit VA bank code' },
);
/** Free-form objects a client attaches; bounded by their JSON size in the service. */
const Attachment = (description: string) =>
  Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description }));

/** Largest `agent_context` or `metadata`, as JSON text. */
export const MAX_ATTACHMENT_BYTES = 16 * 1024;

export const OrderVariantInput = Type.Object(
  {
    variant_unique_id: Type.String({ minLength: 1, maxLength: 64, description: 'Variant unique ID' }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_ITEM_QUANTITY, description: 'Quantity' }),
  },
  { additionalProperties: false },
);
export const OrderBundleInput = Type.Object(
  {
    bundle_price_option_unique_id: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'Bundle price option unique ID',
    }),
    quantity: Type.Integer({ minimum: 1, maximum: MAX_ITEM_QUANTITY, description: 'Quantity' }),
  },
  { additionalProperties: false },
);

export const CreateOrderBody = Type.Object(
  {
    store_unique_id: Type.String({ minLength: 1, maxLength: 64, description: 'Store unique ID' }),
    customer_name: Type.String({ maxLength: 255, description: 'Customer name' }),
    customer_phone: Text(32, 'Customer phone number'),
    customer_email: Type.Optional(Type.String({ maxLength: 254, description: 'Customer email' })),
    ordervariants: Type.Optional(
      Type.Array(OrderVariantInput, { maxItems: MAX_ITEMS, description: 'Order variants' }),
    ),
    orderbundles: Type.Optional(
      Type.Array(OrderBundleInput, { maxItems: MAX_ITEMS, description: 'Order bundles' }),
    ),
    address: Text(1000, 'Recipient address (street); the region comes from location_id'),
    location_id: Id('Location ID (subdistrict) of the recipient'),
    postal_code: Text(10, 'Postal code'),
    warehouse_unique_id: Text(64, 'Warehouse unique ID the order ships from and takes stock from'),
    courier_service_id: Id('Courier service ID'),
    shipping_cost: Amount(
      'Shipping cost agreed with the buyer; quoted from the courier service when left out',
    ),
    shipping_discount: Amount('Shipping discount amount (at most the shipping cost)'),
    product_discount: Amount('Product discount amount (at most the product price)'),
    other_income: Amount("Other income amount; the store's own charge when left out"),
    other_income_name: Text(255, 'Other income name'),
    payment_method: Type.Optional(PaymentMethod),
    sub_payment_method: Type.Optional(SubPaymentMethod),
    payment_account_unique_id: Text(64, "The business's payment account the buyer pays into"),
    payment_account_holder: Text(255, 'Payment account holder name'),
    payment_account_number: Text(64, 'Payment account number'),
    financial_entity_id: Id('Financial entity ID (bank) of the payment account'),
    transferproof_url: Text(2000, 'Transfer proof URL'),
    shipment_provider_code: Type.Optional(
      Type.Union([Type.Literal('mengantar'), Type.Literal('lincah'), Type.Literal('ninja'), Type.Null()], {
        description: 'Shipment provider code',
      }),
    ),
    is_dropshipping: Type.Optional(Type.Boolean({ description: 'Is dropshipping order' })),
    dropshipper_name: Text(255, 'Dropshipper name'),
    dropshipper_phone: Text(32, 'Dropshipper phone'),
    is_probably_spam: Type.Optional(
      Type.Boolean({ default: false, description: 'Is the order probably spam' }),
    ),
    page_unique_id: Text(64, 'Page unique ID the order belongs to'),
    channel_unique_id: Text(64, 'Channel unique ID'),
    notes: Text(5000, 'Order notes'),
    agent_context: Attachment(
      `Untrusted agent or app attribution metadata, stored as given (at most ${MAX_ATTACHMENT_BYTES} bytes of JSON)`,
    ),
    metadata: Attachment(`Additional metadata (at most ${MAX_ATTACHMENT_BYTES} bytes of JSON)`),
    // Beyond the reference's body: what the order view shows and merchants set on the orders they enter.
    discount_code_code: Text(64, 'A discount code of the business to apply (beyond the reference)'),
    external_id: Text(255, "The order's id in another system (beyond the reference)"),
    platform: Type.Optional(
      Type.Union(
        PLATFORMS.map((code) => Type.Literal(code)),
        { description: 'Where the order was taken, default scalev (beyond the reference)' },
      ),
    ),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 50 }), {
        maxItems: 50,
        description: 'Order tags (beyond the reference)',
      }),
    ),
    utm_source: Text(255, 'beyond the reference'),
    utm_medium: Text(255, 'beyond the reference'),
    utm_campaign: Text(255, 'beyond the reference'),
    utm_content: Text(255, 'beyond the reference'),
    utm_term: Text(255, 'beyond the reference'),
  },
  { title: 'OrderCreateBody' },
);
export type CreateOrderBodyObject = Static<typeof CreateOrderBody>;

export const DuplicateOrderBody = Type.Object(
  {
    financial_entity_id: Id('Financial entity ID'),
    metadata: Attachment('Metadata to be copied to the new order (replaces the original’s)'),
    payment_account_holder: Text(255, 'Payment account holder name'),
    payment_account_number: Text(64, 'Payment account number'),
    payment_method: Type.Optional(PaymentMethod),
    sub_payment_method: Type.Optional(SubPaymentMethod),
  },
  { title: 'OrderDuplicateBody' },
);
export type DuplicateOrderBodyObject = Static<typeof DuplicateOrderBody>;

export const UploadOrdersForm = Type.Object(
  {
    create_type: Type.Optional(
      Type.Union([Type.Literal('archive'), Type.Literal('regular')], {
        description: "Required. 'archive' for Archive mode, 'regular' for Regular mode",
      }),
    ),
    file: Type.Optional(
      Type.String({
        format: 'binary',
        description:
          'Required. The CSV (UTF-8, comma-separated, first row names the columns, case-insensitive): ' +
          'store_unique_id and customer_name (required), items as ordervariants / orderbundles cells ' +
          '(`unique_id:quantity` separated by `;` or `|`) or variant_unique_id / bundle_price_option_unique_id ' +
          'with quantity, external_id (the row key for re-runs), customer_phone, customer_email, address, ' +
          'location_id, postal_code, warehouse_unique_id, courier_service_id, shipping_cost, shipping_discount, ' +
          'product_discount, other_income, other_income_name, payment_method, sub_payment_method, ' +
          'payment_status (paid|unpaid), status (draft|pending|confirmed, regular mode), discount_code_code, ' +
          'notes, tags (`;` or `|`), platform, utm_source … utm_term, date (YYYY-MM-DD[ HH:MM] in `tz`, ' +
          'archive mode). Other columns are ignored.',
      }),
    ),
    tz: Type.Optional(
      Type.String({ description: "Required. Timezone in IANA format, e.g., 'Asia/Jakarta'" }),
    ),
  },
  { title: 'UploadOrdersRequest', additionalProperties: true },
);

export const UploadOrdersReport = Type.Object(
  {
    success: Type.Array(
      Type.Object(
        {
          id: Type.String({ description: 'Order primary key (UUIDv7)' }),
          order_id: Type.String(),
          external_id: Type.Union([Type.String(), Type.Null()]),
          status: Type.String(),
          payment_status: Type.String(),
          public_order_url: Type.Union([Type.String(), Type.Null()]),
          payment_url: Type.Union([Type.String(), Type.Null()]),
        },
        { title: 'SuccessUploadOrders' },
      ),
    ),
    failed: Type.Record(Type.String(), Type.String(), {
      description:
        'Row (its external_id, else `row N` for line N) -> why it was not imported; the first 1000.',
    }),
    skipped: Type.Record(Type.String(), Type.String(), {
      description:
        'Beyond the reference: rows an earlier run (or an earlier row) already imported -> that order.',
    }),
  },
  { title: 'UploadOrders' },
);
