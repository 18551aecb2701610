import type { Insertable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { uuidv7 } from '../../lib/ids.ts';
import { beforeTax, formatCents, normalizeMoney, toCents } from '../../lib/money.ts';
import { schedulePaymentExpiry } from './deadline.ts';
import { newOrderNumber, newSecretSlug } from './identifiers.ts';
import * as q from './queries.ts';
import { firstTake, reserveStock } from './stock.ts';
import type { OrderCourierService, OrderSource, OrdersTable } from './tables.ts';

export { toPublicOrder } from './present.ts';
export { findOrderById, findOrderBySecretSlug, findOrdersByIds, type OrderRecord } from './record.ts';

export interface OrderDraftLine {
  variant_id: number | null;
  bundle_price_option_id: number | null;
  name: string;
  unit_price: string;
  quantity: number;
  weight_grams: number;
  item_type: string;
  /** Units consumed per 1 item. */
  stock: Array<{ variant_id: number; quantity: number; is_inventory: boolean }>;
}

export interface OrderDraft {
  businessId: number;
  storeId: number;
  source: OrderSource;
  customerId?: number | null;
  /**
   * Link the order to the business's customer with `customer.email` (created on first sight, as
   * `upsertCustomerByEmail` does), in the order's insert statement; overrides `customerId`.
   */
  linkCustomerByEmail?: boolean;
  customer: { name: string; email: string; phone: string | null };
  destination: {
    address: string | null;
    location_id: number | null;
    postal_code: string | null;
    province: string | null;
    city: string | null;
    subdistrict: string | null;
  } | null;
  paymentMethod: string;
  subPaymentMethod: string | null;
  courierServiceId: number | null;
  warehouseId: number | null;
  discountCodeId: number | null;
  discountCode: string | null;
  notes: string | null;
  lines: OrderDraftLine[];
  totals: {
    product_price: string;
    product_discount: string;
    shipping_cost: string;
    shipping_discount: string;
    discount_code_discount: string;
    unique_code_discount: string;
    other_income: string;
    other_income_name: string | null;
    service_fee: string;
    gross_revenue: string;
    net_revenue: string;
  };
  paymentExpiresAt: Date | null;
  paymentAccount: { bank: string; account_number: string; account_holder: string } | null;
  /** One of the lifecycle's `INITIAL_ORDER_STATUSES`: checkout `pending`, business orders by completeness. */
  initialStatus: 'draft' | 'pending' | 'confirmed' | 'completed';

  // Optional extras beyond the agreed draft.
  /** Snapshot of the chosen courier service, shown on the order as `courier_service`. */
  courierService?: OrderCourierService | null;
  courierAggregatorCode?: string | null;
  /** HTML Mode orders: the page the order came from. */
  pageId?: number | null;
  /** Where to send the buyer after checkout; null falls back to the hosted success page. */
  redirectUrl?: string | null;
  clientIp?: string | null;
  userAgent?: string | null;
  /** Kept but suspected by the store's spam filter (checkout's `spam.ts`). */
  isProbablySpam?: boolean;
  /** Business-created orders: the member who created it (status history `by`). */
  actorUserId?: number | null;
  /** Business-created orders: the fields a merchant sets by hand (tags, UTM values, external id, ...). */
  columns?: BusinessOrderColumns;
  /** Archive uploads: when the order really happened (every stamped time); now by default. */
  placedAt?: Date;
  /**
   * What the caller already read, so order creation does not read it again: the business's tax
   * rate and catalog snapshots of variants (by id; variants missing here are read).
   */
  known?: {
    taxRate?: string | undefined;
    variants?: ReadonlyMap<number, q.VariantSnapshot> | undefined;
  };
}

/** Columns of a business-created order that checkout never sets. */
export type BusinessOrderColumns = Partial<
  Pick<
    Insertable<OrdersTable>,
    | 'tags'
    | 'utm_source'
    | 'utm_medium'
    | 'utm_campaign'
    | 'utm_content'
    | 'utm_term'
    | 'external_id'
    | 'platform'
    | 'channel_id'
    | 'financial_entity_id'
    | 'payment_account_id'
    | 'transferproof_url'
    | 'shipment_provider_code'
    | 'metadata'
    | 'agent_context'
    | 'last_updated_by_user_id'
    | 'handler_user_id'
    | 'advertiser_user_id'
    | 'import_key'
    | 'is_dropshipping'
    | 'dropshipper_name'
    | 'dropshipper_phone'
  >
>;

/** The order as its transaction wrote it: the stored rows, defaults included. */
export interface CreatedOrder {
  id: string;
  order_id: string;
  secret_slug: string;
  row: q.OrderRow;
  lines: q.OrderlineRow[];
  history: q.StatusHistoryRow[];
}

/** Some lines cannot be covered by stock; the transaction must roll back (throwing does that). */
export class OutOfStockError extends Error {
  constructor(
    readonly variantIds: number[],
    readonly names: string[],
  ) {
    super(`Out of stock: ${names.join(', ')}`);
    this.name = 'OutOfStockError';
  }
}

const ORDER_NUMBER_ATTEMPTS = 8;

/**
 * Creates an order inside the caller's transaction: order, lines, first history entries, the
 * stock it takes, and the expiry of its payment deadline when it has one. Totals come from the pricing engine and are stored as given (normalized to two
 * decimals); this function adds only what derives from them (`*_bt`, cogs, quantities, weight).
 *
 * Stock is reserved with the inserts (the first variant from a chosen warehouse in the very insert
 * statement, the others right after), just before the caller commits, so the row locks on hot
 * variants are held for as short a time as possible. An `OutOfStockError` must leave the
 * transaction (let it propagate through `db.transaction().execute`, then map it to a 4xx): catching
 * it inside and committing would keep the order rows without their stock.
 */
export async function createOrder(trx: Db, draft: OrderDraft): Promise<CreatedOrder> {
  if (draft.lines.length === 0) throw new RangeError('An order needs at least one line');
  for (const line of draft.lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1)
      throw new RangeError(`Invalid quantity for ${line.name}`);
  }

  const now = draft.placedAt ?? new Date();
  const id = uuidv7(now.getTime());
  const { lines, amounts } = await orderLines(trx, draft, id);

  const base = { ...orderValues(draft, id, now), ...amounts };
  const customer = draft.linkCustomerByEmail
    ? { businessId: draft.businessId, storeId: draft.storeId, ...draft.customer }
    : null;
  const needs = stockNeeds(draft);
  // The first take of stock runs in the order's insert statement; reserveStock goes on from there.
  const stockTake = firstTake(draft.warehouseId, needs);
  let inserted: q.InsertedOrder | undefined;
  for (let attempt = 0; attempt < ORDER_NUMBER_ATTEMPTS && !inserted; attempt++) {
    inserted = await q.insertOrderUnlessTaken(trx, {
      order: {
        ...base,
        order_id: newOrderNumber(now),
        secret_slug: newSecretSlug(),
      },
      customer,
      lines,
      actor: draft.source === 'business' ? 'business' : 'customer',
      actorUserId: draft.actorUserId ?? null,
      stockTake,
    });
  }
  if (!inserted) throw new Error('Could not allocate a unique order number');
  const { row } = inserted;

  // Each take of stock records its allocation in the same statement.
  const reservation = await reserveStock(
    trx,
    { id, businessId: draft.businessId },
    draft.warehouseId,
    needs,
    stockTake ? { take: stockTake, taken: inserted.stockTaken } : undefined,
  );
  if (!reservation.ok) throw outOfStock(draft, reservation.short);
  if (draft.paymentExpiresAt)
    await schedulePaymentExpiry(trx, {
      businessId: draft.businessId,
      orderId: id,
      at: draft.paymentExpiresAt,
    });
  return {
    id,
    order_id: row.order_id,
    secret_slug: row.secret_slug,
    row,
    lines: inserted.lines,
    history: inserted.history,
  };
}

/** Inventory units per variant the whole order consumes. */
export function stockNeeds(draft: Pick<OrderDraft, 'lines'>): Map<number, number> {
  const needs = new Map<number, number>();
  for (const line of draft.lines) {
    for (const part of line.stock) {
      if (!part.is_inventory) continue;
      needs.set(part.variant_id, (needs.get(part.variant_id) ?? 0) + part.quantity * line.quantity);
    }
  }
  return needs;
}

/** The error naming the lines whose stock fell `short` (variant ids from `reserveStock`). */
export function outOfStock(draft: Pick<OrderDraft, 'lines'>, short: number[]): OutOfStockError {
  const shortSet = new Set(short);
  const names = draft.lines
    .filter((line) => line.stock.some((part) => part.is_inventory && shortSet.has(part.variant_id)))
    .map((line) => line.name);
  return new OutOfStockError(short, [...new Set(names)]);
}

/** What `orderLines` needs of a draft: its business, lines and totals, and what the caller already read. */
export type LinesDraft = Pick<OrderDraft, 'businessId' | 'lines' | 'totals' | 'known'>;

/** The order columns that follow from its lines and totals (`orderLines`). */
export type OrderAmounts = Pick<
  Insertable<OrdersTable>,
  | 'tax_rate'
  | 'total_quantity'
  | 'product_weight'
  | 'cogs'
  | 'cogs_bt'
  | 'product_price'
  | 'product_price_bt'
  | 'product_discount'
  | 'product_discount_bt'
  | 'shipping_cost'
  | 'shipping_discount'
  | 'discount_code_discount'
  | 'discount_code_discount_bt'
  | 'unique_code_discount'
  | 'other_income'
  | 'other_income_bt'
  | 'other_income_name'
  | 'service_fee'
  | 'gross_revenue'
  | 'net_revenue'
>;

/**
 * An order's line rows (catalog snapshots, cogs) and the order columns that follow from them and
 * from the priced totals: creating an order and changing its items (update-items.ts) both store
 * exactly these, so the same items give the same lines and amounts either way.
 */
export async function orderLines(
  trx: Db,
  draft: LinesDraft,
  orderId: string,
): Promise<{ lines: q.OrderlineInsert[]; amounts: OrderAmounts }> {
  const [taxRate, variants, priceOptions] = await loadSnapshots(trx, draft);
  const lines = buildLines(draft, orderId, taxRate, variants, priceOptions);
  const cogs = lines.reduce((sum, line) => sum + toCents(line.cogs), 0n);
  const cogsBt = lines.reduce((sum, line) => sum + toCents(line.cogs_bt), 0n);
  const totals = draft.totals;
  const money = (value: string) => normalizeMoney(value);
  const amounts: OrderAmounts = {
    tax_rate: taxRate,
    total_quantity: draft.lines.reduce((sum, line) => sum + line.quantity, 0),
    product_weight: draft.lines.reduce(
      (sum, line) => sum + Math.max(0, Math.round(line.weight_grams)) * line.quantity,
      0,
    ),
    cogs: formatCents(cogs),
    cogs_bt: formatCents(cogsBt),
    product_price: money(totals.product_price),
    product_price_bt: beforeTax(totals.product_price, taxRate),
    product_discount: money(totals.product_discount),
    product_discount_bt: beforeTax(totals.product_discount, taxRate),
    shipping_cost: money(totals.shipping_cost),
    shipping_discount: money(totals.shipping_discount),
    discount_code_discount: money(totals.discount_code_discount),
    discount_code_discount_bt: beforeTax(totals.discount_code_discount, taxRate),
    unique_code_discount: money(totals.unique_code_discount),
    other_income: money(totals.other_income),
    other_income_bt: beforeTax(totals.other_income, taxRate),
    other_income_name: totals.other_income_name,
    service_fee: money(totals.service_fee),
    gross_revenue: money(totals.gross_revenue),
    net_revenue: money(totals.net_revenue),
  };
  return { lines, amounts };
}

async function loadSnapshots(trx: Db, draft: LinesDraft) {
  const variantIds = new Set<number>();
  const priceOptionIds = new Set<number>();
  for (const line of draft.lines) {
    if (line.variant_id !== null) variantIds.add(line.variant_id);
    if (line.bundle_price_option_id !== null) priceOptionIds.add(line.bundle_price_option_id);
    for (const part of line.stock) variantIds.add(part.variant_id);
  }
  const known = draft.known;
  const taxRate = known?.taxRate ?? (await q.findTaxRate(trx, draft.businessId));
  const variants = new Map<number, q.VariantSnapshot>();
  const unknown: number[] = [];
  for (const variantId of variantIds) {
    const snapshot = known?.variants?.get(variantId);
    if (snapshot) variants.set(variantId, snapshot);
    else unknown.push(variantId);
  }
  for (const variant of await q.findVariantSnapshots(trx, draft.businessId, unknown))
    variants.set(variant.id, variant);
  const priceOptions = new Map(
    (await q.findPriceOptionSnapshots(trx, draft.businessId, [...priceOptionIds])).map((o) => [
      o.id,
      o.unique_id,
    ]),
  );
  // The pricing engine resolved these within the business moments ago; a miss is a bug or a deletion race.
  for (const variantId of variantIds) {
    if (!variants.has(variantId))
      throw new Error(`Variant ${variantId} is not in business ${draft.businessId}`);
  }
  for (const optionId of priceOptionIds) {
    if (!priceOptions.has(optionId)) throw new Error(`Bundle price option ${optionId} is not in business`);
  }
  return [taxRate, variants, priceOptions] as const;
}

function buildLines(
  draft: LinesDraft,
  orderId: string,
  taxRate: string,
  variants: Map<number, q.VariantSnapshot>,
  priceOptions: Map<number, string>,
): Array<q.OrderlineInsert & { cogs: string; cogs_bt: string }> {
  return draft.lines.map((line, position) => {
    const variant = line.variant_id === null ? undefined : variants.get(line.variant_id);
    const components =
      line.stock.length > 0 || line.variant_id === null
        ? line.stock
        : [{ variant_id: line.variant_id, quantity: 1, is_inventory: false }];
    let cogs = 0n;
    let cogsBt = 0n;
    for (const part of components) {
      const source = variants.get(part.variant_id)!;
      cogs += toCents(source.cogs) * BigInt(part.quantity);
      cogsBt += toCents(source.cogs_bt) * BigInt(part.quantity);
    }
    const unitPrice = normalizeMoney(line.unit_price);
    const quantity = BigInt(line.quantity);
    return {
      business_id: draft.businessId,
      order_id: orderId,
      position,
      variant_id: line.variant_id,
      bundle_price_option_id: line.bundle_price_option_id,
      item_type: line.item_type,
      name: line.name,
      product_name: variant?.product_name ?? null,
      variant_unique_id: variant?.unique_id ?? null,
      bundle_price_option_unique_id:
        line.bundle_price_option_id === null ? null : (priceOptions.get(line.bundle_price_option_id) ?? null),
      sku: variant?.sku ?? null,
      variant_option1_value: variant?.option1_value ?? null,
      variant_option2_value: variant?.option2_value ?? null,
      variant_option3_value: variant?.option3_value ?? null,
      quantity: line.quantity,
      unit_price: unitPrice,
      unit_price_bt: beforeTax(unitPrice, taxRate),
      product_price: formatCents(toCents(unitPrice) * quantity),
      weight: Math.max(0, Math.round(line.weight_grams)),
      is_inventory: line.stock.some((part) => part.is_inventory),
      cogs: formatCents(cogs * quantity),
      cogs_bt: formatCents(cogsBt * quantity),
      components: line.stock,
    };
  });
}

type OrderBase = Omit<Insertable<OrdersTable>, 'order_id' | 'secret_slug' | keyof OrderAmounts>;

function orderValues(draft: OrderDraft, id: string, now: Date): OrderBase {
  const destination = draft.destination;
  return {
    id,
    business_id: draft.businessId,
    store_id: draft.storeId,
    source: draft.source,
    page_id: draft.pageId ?? null,
    status: draft.initialStatus,
    payment_status: 'unpaid',
    draft_time: now,
    pending_time: draft.initialStatus === 'pending' ? now : null,
    confirmed_time: draft.initialStatus === 'confirmed' ? now : null,
    completed_time: draft.initialStatus === 'completed' ? now : null,
    unpaid_time: now,
    customer_id: draft.customerId ?? null,
    customer_name: draft.customer.name,
    customer_email: draft.customer.email.trim().toLowerCase() || null,
    customer_phone: draft.customer.phone,
    shipping_address: destination?.address ?? null,
    shipping_location_id: destination?.location_id ?? null,
    shipping_postal_code: destination?.postal_code ?? null,
    shipping_province: destination?.province ?? null,
    shipping_city: destination?.city ?? null,
    shipping_subdistrict: destination?.subdistrict ?? null,
    payment_method: draft.paymentMethod,
    sub_payment_method: draft.subPaymentMethod,
    payment_account_bank: draft.paymentAccount?.bank ?? null,
    payment_account_number: draft.paymentAccount?.account_number ?? null,
    payment_account_holder: draft.paymentAccount?.account_holder ?? null,
    payment_expiration_at: draft.paymentExpiresAt,
    courier_service_id: draft.courierServiceId,
    courier_service: draft.courierService ? JSON.stringify(draft.courierService) : null,
    courier_aggregator_code: draft.courierAggregatorCode ?? null,
    warehouse_id: draft.warehouseId,
    discount_code_id: draft.discountCodeId,
    discount_code_code: draft.discountCode,
    notes: draft.notes,
    redirect_url: draft.redirectUrl ?? null,
    client_ip: draft.clientIp ?? null,
    user_agent: draft.userAgent ?? null,
    is_probably_spam: draft.isProbablySpam ?? false,
    created_at: now,
    last_updated_at: now,
    ...draft.columns,
  };
}
