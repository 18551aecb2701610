/**
 * Orders a business enters itself (`createOrder`, and each row of a regular orders upload): priced
 * by checkout's engine and reserved through the same stock path, with what a merchant may set by
 * hand (shipping cost, other income, discounts, warehouse, tags, UTM values, external id, ...).
 */
import type { Db } from '../../db/database.ts';
import { ApiError, errors, type FieldErrors } from '../../http/errors.ts';
import { formatCents, toCents } from '../../lib/money.ts';
import { resolveItems } from '../checkout/items.ts';
import { type CheckoutPricing, priceCheckout, priceLines, withUniqueCode } from '../checkout/pricing.ts';
import * as checkoutQueries from '../checkout/queries.ts';
import {
  outOfStockError,
  reportMissing,
  throwIfInvalid,
  unavailableShippingError,
} from '../checkout/rules.ts';
import type { CheckoutItemInput } from '../checkout/schemas.ts';
import { assignUniqueCode } from '../checkout/unique-code.ts';
import { consumeDiscountCode } from '../discounts/evaluate.ts';
import { findBusinessOrders } from './business-order.ts';
import type { BusinessOrderObject } from './business-schemas.ts';
import type { OrderCaller } from './business-service.ts';
import {
  type BusinessOrderColumns,
  type CreatedOrder,
  createOrder,
  type OrderDraft,
  OutOfStockError,
} from './create.ts';
import { findOrderRefs } from './create-queries.ts';
import { type CreateOrderBodyObject, MAX_ATTACHMENT_BYTES } from './create-schemas.ts';
import { emitOrderEvents } from './events.ts';
import type { StoreAnswer } from './idempotent-create.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const PHONE = /^\+?[\d\s().-]{6,20}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

const amount = (value: number | undefined) => (value === undefined ? undefined : formatCents(toCents(value)));

/** A business order checked and priced, ready to be created in a transaction. */
export interface PreparedOrder {
  draft: OrderDraft;
  discountId: number | null;
  store: checkoutQueries.CheckoutStoreRow;
}

export interface PrepareOptions {
  /** Archive uploads: the order as history, `completed` at `placedAt`, taking no stock. */
  archive?: { placedAt: Date };
  /** Orders uploads: the row's key (migration 0026). */
  importKey?: string;
}

/**
 * Item errors named by the body's own fields: `ordervariants.N.variant_unique_id`,
 * `orderbundles.N.bundle_price_option_unique_id` (checkout's resolver names `items.N.*`).
 */
export function renameItemErrors(fieldErrors: FieldErrors, variantCount: number): FieldErrors {
  const renamed: FieldErrors = {};
  for (const [field, messages] of Object.entries(fieldErrors)) {
    const match = /^items\.(\d+)\.(.+)$/.exec(field);
    if (!match) {
      renamed[field] = messages;
      continue;
    }
    const index = Number(match[1]);
    const name =
      index < variantCount
        ? `ordervariants.${index}.${match[2] === 'quantity' ? 'quantity' : 'variant_unique_id'}`
        : `orderbundles.${index - variantCount}.${match[2] === 'quantity' ? 'quantity' : 'bundle_price_option_unique_id'}`;
    renamed[name] = messages;
  }
  return renamed;
}

/** The body's items for checkout's engine, variants first; a 422 naming the body's fields otherwise. */
export async function resolveBodyItems(
  db: Db,
  businessId: number,
  body: Pick<CreateOrderBodyObject, 'ordervariants' | 'orderbundles'>,
) {
  const variants = body.ordervariants ?? [];
  const bundles = body.orderbundles ?? [];
  const items: CheckoutItemInput[] = [
    ...variants.map((v) => ({
      type: 'variant' as const,
      variant_id: v.variant_unique_id,
      quantity: v.quantity,
    })),
    ...bundles.map((b) => ({
      type: 'bundle_price_option' as const,
      bundle_price_option_id: b.bundle_price_option_unique_id,
      quantity: b.quantity,
    })),
  ];
  if (items.length === 0)
    throw errors.invalidField('ordervariants', "can't be blank: send ordervariants or orderbundles");
  try {
    return { lines: await resolveItems(db, businessId, items), variantCount: variants.length };
  } catch (error) {
    if (error instanceof ApiError && error.statusCode === 422)
      throw errors.validation(renameItemErrors(error.fieldErrors, variants.length));
    throw error;
  }
}

function checkAttachment(name: string, value: Record<string, unknown> | undefined, fieldErrors: FieldErrors) {
  if (value === undefined) return undefined;
  const json = JSON.stringify(value);
  if (Buffer.byteLength(json) > MAX_ATTACHMENT_BYTES)
    fieldErrors[name] = [`is too large (at most ${MAX_ATTACHMENT_BYTES} bytes of JSON)`];
  return json;
}

/**
 * Checks and prices a business order. Complete orders start `pending`; an order that ships but
 * lacks its address, its location or (when the store requires one) its courier service starts as a
 * `draft` the merchant completes later. Validation failures are 422s naming the body's fields; a
 * courier service that cannot ship the order is a 422 (or the 409 naming sold-out items).
 */
export async function prepareBusinessOrder(
  db: Db,
  caller: OrderCaller,
  body: CreateOrderBodyObject,
  options: PrepareOptions = {},
): Promise<PreparedOrder> {
  const { businessId } = caller;
  const fieldErrors: FieldErrors = {};
  const [refs, itemsOutcome] = await Promise.all([
    findOrderRefs(db, businessId, {
      storeUniqueId: body.store_unique_id,
      warehouseUniqueId: text(body.warehouse_unique_id),
      pageUniqueId: text(body.page_unique_id),
      channelUniqueId: text(body.channel_unique_id),
      paymentAccountUniqueId: text(body.payment_account_unique_id),
      financialEntityId: body.financial_entity_id ?? null,
    }),
    // Settled, so a wrong store is reported before the items it does not sell.
    resolveBodyItems(db, businessId, body).then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    ),
  ]);
  if (refs.store_id === null) throw errors.invalidField('store_unique_id', 'is not a store of this business');
  if ('error' in itemsOutcome) throw itemsOutcome.error;
  const items = itemsOutcome.value;
  const storeId = refs.store_id;
  if (text(body.warehouse_unique_id) && refs.warehouse_id === null)
    fieldErrors.warehouse_unique_id = ['is not a warehouse of this business'];
  if (text(body.page_unique_id) && refs.page_id === null)
    fieldErrors.page_unique_id = ['is not a page of this business'];
  if (text(body.channel_unique_id) && refs.channel_id === null)
    fieldErrors.channel_unique_id = ['is not a channel of this store'];
  if (text(body.payment_account_unique_id) && refs.payment_account === null)
    fieldErrors.payment_account_unique_id = ['is not a payment account of this business'];
  if (body.financial_entity_id !== undefined && refs.financial_entity_code === null)
    fieldErrors.financial_entity_id = ['is not a known bank or e-wallet'];

  const customerName = text(body.customer_name);
  if (!customerName) fieldErrors.customer_name = ["can't be blank"];
  const customerPhone = text(body.customer_phone);
  if (customerPhone && !PHONE.test(customerPhone)) fieldErrors.customer_phone = ['is not a phone number'];
  const customerEmail = text(body.customer_email)?.toLowerCase() ?? null;
  if (customerEmail && !EMAIL.test(customerEmail)) fieldErrors.customer_email = ['is not an e-mail address'];
  const agentContext = checkAttachment('agent_context', body.agent_context, fieldErrors);
  const metadata = checkAttachment('metadata', body.metadata, fieldErrors);

  const paymentMethod = body.payment_method ?? 'bank_transfer';
  const locationId = body.location_id ?? null;
  const [priced, store] = await Promise.all([
    priceLines(db, storeId, items.lines),
    checkoutQueries.findCheckoutStore(db, businessId, storeId, locationId),
  ]);
  if (!store) throw errors.invalidField('store_unique_id', 'is not a store of this business');
  const location = store.destination;
  if (locationId !== null && !location) fieldErrors.location_id = ['is not a known location'];
  throwIfInvalid(fieldErrors);

  const archive = options.archive;
  const postalCode = text(body.postal_code);
  const pricing = await priceCheckout(db, {
    businessId,
    storeId,
    items: items.lines,
    priced,
    destination: location ? { locationId: location.id, postalCode, location } : null,
    store,
    paymentMethod,
    subPaymentMethod: paymentMethod === 'va' ? (body.sub_payment_method ?? null) : null,
    courierServiceId: body.courier_service_id ?? null,
    warehouseUniqueId: text(body.warehouse_unique_id),
    discountCode: text(body.discount_code_code),
    pageId: refs.page_id,
    manualDiscounts: { product: amount(body.product_discount), shipping: amount(body.shipping_discount) },
    manualShippingCost: amount(body.shipping_cost),
    manualOtherIncome:
      body.other_income === undefined
        ? undefined
        : { amount: amount(body.other_income)!, name: text(body.other_income_name) },
  });
  reportMissing(items.lines, pricing.missing, fieldErrors);
  if (pricing.discount && !pricing.discount.eligible)
    fieldErrors.discount_code_code = [pricing.discount.message ?? 'cannot be used'];
  const renamed = renameItemErrors(fieldErrors, items.variantCount);
  throwIfInvalid(renamed);
  // Archive orders are history: the route and the stock of the day no longer matter.
  if (!archive && pricing.shippingState === 'unavailable')
    throw await unavailableShippingError(db, businessId, pricing.lines);

  const address = text(body.address);
  const complete =
    !pricing.requiresShipping ||
    (address !== null &&
      location !== null &&
      (body.courier_service_id !== undefined || !store.is_courier_required));
  const account = refs.payment_account ?? (paymentMethod === 'bank_transfer' ? firstAccount(store) : null);
  const columns: BusinessOrderColumns = {
    tags: [...new Set((body.tags ?? []).map((tag) => tag.trim()).filter((tag) => tag.length > 0))],
    utm_source: text(body.utm_source),
    utm_medium: text(body.utm_medium),
    utm_campaign: text(body.utm_campaign),
    utm_content: text(body.utm_content),
    utm_term: text(body.utm_term),
    external_id: text(body.external_id),
    platform: body.platform ?? 'scalev',
    channel_id: refs.channel_id,
    payment_account_id: refs.payment_account?.id ?? null,
    financial_entity_id: body.financial_entity_id ?? account?.financial_entity_id ?? null,
    transferproof_url: text(body.transferproof_url),
    shipment_provider_code: body.shipment_provider_code ?? null,
    agent_context: agentContext ?? null,
    last_updated_by_user_id: caller.userId,
    import_key: options.importKey ?? null,
    is_dropshipping: body.is_dropshipping ?? false,
    dropshipper_name: text(body.dropshipper_name),
    dropshipper_phone: text(body.dropshipper_phone),
    ...(metadata !== undefined ? { metadata } : {}),
  };
  const settings = pricing.store;
  const draft: OrderDraft = {
    businessId,
    storeId,
    source: 'business',
    actorUserId: caller.userId,
    customer: { name: customerName!, email: customerEmail ?? '', phone: customerPhone },
    linkCustomerByEmail: customerEmail !== null,
    destination:
      location || address
        ? {
            address,
            location_id: location?.id ?? null,
            postal_code: postalCode,
            province: location?.province_name ?? null,
            city: location?.city_name ?? null,
            subdistrict: location?.subdistrict_name ?? null,
          }
        : null,
    paymentMethod,
    subPaymentMethod: paymentMethod === 'va' ? (body.sub_payment_method ?? null) : null,
    courierServiceId:
      pricing.shipping?.courier_service_id ?? (archive ? (body.courier_service_id ?? null) : null),
    warehouseId: refs.warehouse_id ?? pricing.warehouseId,
    discountCodeId: pricing.discount?.eligible ? pricing.discount.discountCode!.id : null,
    discountCode: pricing.discount?.eligible ? pricing.discount.discountCode!.code : null,
    notes: text(body.notes),
    lines: linesOf(pricing, Boolean(archive)),
    totals: pricing.totals,
    paymentExpiresAt:
      !archive && settings.is_auto_expire ? new Date(Date.now() + settings.auto_expire_days * DAY_MS) : null,
    paymentAccount: account
      ? {
          bank: account.bank,
          account_number: text(body.payment_account_number) ?? account.account_number,
          account_holder: text(body.payment_account_holder) ?? account.account_holder,
        }
      : text(body.payment_account_number) && refs.financial_entity_code
        ? {
            bank: refs.financial_entity_code,
            account_number: text(body.payment_account_number)!,
            account_holder: text(body.payment_account_holder) ?? '',
          }
        : null,
    initialStatus: archive ? 'completed' : complete ? 'pending' : 'draft',
    courierService:
      pricing.shipping && pricing.courier
        ? {
            id: pricing.shipping.courier_service_id,
            code: pricing.shipping.service_code,
            name: pricing.shipping.name,
            courier: { code: pricing.courier.code, name: pricing.courier.name },
          }
        : null,
    courierAggregatorCode: pricing.shipping?.courier_aggregator_code ?? null,
    pageId: refs.page_id,
    isProbablySpam: body.is_probably_spam ?? false,
    columns,
    known: { taxRate: settings.tax_rate, variants: pricing.snapshots },
    ...(archive ? { placedAt: archive.placedAt } : {}),
  };
  return { draft, discountId: draft.discountCodeId, store };
}

function firstAccount(store: checkoutQueries.CheckoutStoreRow) {
  const first = store.payment_accounts[0];
  return first
    ? {
        bank: first.financial_entity_code,
        account_number: first.account_number,
        account_holder: first.account_holder,
        financial_entity_id: first.financial_entity_id,
      }
    : null;
}

/** Order lines from the priced lines; archive orders take no stock (they are history). */
export function linesOf(pricing: CheckoutPricing, archive: boolean): OrderDraft['lines'] {
  return pricing.lines.map((line) => ({
    variant_id: line.item.variant_id,
    bundle_price_option_id: line.item.bundle_price_option_id,
    name: line.item.name,
    unit_price: line.item.unit_price,
    quantity: line.quantity,
    weight_grams: line.item.weight_grams,
    item_type: line.item.item_type,
    stock: line.item.lines.map(({ variant_id, quantity, is_inventory }) => ({
      variant_id,
      quantity,
      is_inventory: is_inventory && !archive,
    })),
  }));
}

/**
 * Creates a prepared order in the caller's transaction: the bank-transfer unique code, the order
 * with its stock, the discount code's use, and `order.created`. Throws `OutOfStockError` (the
 * transaction must roll back) and the 422 of a discount code used up meanwhile.
 */
export async function insertBusinessOrder(
  trx: Db,
  prepared: PreparedOrder,
  publicUrl: string,
): Promise<CreatedOrder> {
  const { draft, store } = prepared;
  const unique =
    draft.initialStatus === 'completed'
      ? 0n
      : await assignUniqueCode(trx, {
          storeId: draft.storeId,
          paymentMethod: draft.paymentMethod,
          store,
          grossRevenue: draft.totals.gross_revenue,
        });
  const created = await createOrder(trx, { ...draft, totals: withUniqueCode(draft.totals, unique) });
  if (
    prepared.discountId !== null &&
    !(await consumeDiscountCode(trx, draft.businessId, prepared.discountId))
  )
    throw errors.invalidField('discount_code_code', 'is no longer valid or has reached its usage limit');
  await emitOrderEvents(trx, draft.businessId, created.id, ['order.created'], publicUrl);
  return created;
}

/**
 * `createOrder`: the order in one transaction with its stock; a sold-out line is a 409 naming every
 * sold-out item and nothing is created. Answers the business view of the new order.
 */
export async function createBusinessOrder(
  db: Db,
  caller: OrderCaller,
  body: CreateOrderBodyObject,
  publicUrl: string,
  storeAnswer: StoreAnswer<BusinessOrderObject>,
): Promise<BusinessOrderObject> {
  const prepared = await prepareBusinessOrder(db, caller, body);
  try {
    return await db.transaction().execute(async (trx) => {
      const { id } = await insertBusinessOrder(trx, prepared, publicUrl);
      const [answer] = await findBusinessOrders(trx, caller.businessId, [id], publicUrl);
      await storeAnswer(trx, answer!);
      return answer!;
    });
  } catch (error) {
    if (error instanceof OutOfStockError) throw outOfStockError(error.names);
    throw error;
  }
}
