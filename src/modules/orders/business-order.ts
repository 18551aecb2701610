import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { PREPARED } from '../../db/prepared.ts';
import { serializerOf } from '../../db/read-model.ts';
import { isUuid } from '../../lib/ids.ts';
import { formatCents, toCents } from '../../lib/money.ts';
import * as q from './business-queries.ts';
import { BusinessOrderListItem, type BusinessOrderObject } from './business-schemas.ts';
import { destinationAddressOf } from './present.ts';
import type { OrderlineRow } from './queries.ts';
import type { OrderViewCache } from './view-cache.ts';

const iso = (value: Date | null) => (value ? value.toISOString() : null);

function user(id: number | null, name: string | null, email: string | null, phone: string | null) {
  return id === null || name === null || email === null
    ? null
    : { id, fullname: name, email, phone, avatar: null, aff_code: null };
}

/** Who made a history entry, as the business reads it: the name the client gave or the member's, else the role. */
function historyBy(entry: q.BusinessHistoryRow): string {
  return entry.by_name ?? entry.actor;
}

/** The business view of one order, from its row, lines and history (`findBusinessOrders`). */
export function presentBusinessOrder(
  order: q.BusinessOrderRow,
  lines: OrderlineRow[],
  history: q.BusinessHistoryRow[],
  publicUrl: string,
): BusinessOrderObject {
  const orderUrl = `${publicUrl}/o/${order.secret_slug}`;
  const variants: Record<string, number> = {};
  const bundlePriceOptions: Record<string, number> = {};
  for (const line of lines) {
    const [map, id] =
      line.bundle_price_option_id !== null
        ? [bundlePriceOptions, line.bundle_price_option_id]
        : [variants, line.variant_id];
    if (id !== null) map[String(id)] = (map[String(id)] ?? 0) + line.quantity;
  }
  const historyOf = (kind: 'status' | 'payment_status') =>
    history
      .filter((entry) => entry.kind === kind)
      .map((entry) => ({ status: entry.status, time: entry.changed_at.toISOString(), by: historyBy(entry) }));
  return {
    id: order.id,
    order_id: order.order_id,
    secret_slug: order.secret_slug,
    public_order_url: orderUrl,
    payment_url: `${orderUrl}/pay`,
    status: order.status,
    payment_status: order.payment_status,
    draft_time: iso(order.draft_time),
    pending_time: iso(order.pending_time),
    confirmed_time: iso(order.confirmed_time),
    in_process_time: iso(order.in_process_time),
    ready_time: iso(order.ready_time),
    canceled_time: iso(order.canceled_time),
    shipped_time: iso(order.shipped_time),
    completed_time: iso(order.completed_time),
    rts_time: iso(order.rts_time),
    closed_time: iso(order.closed_time),
    unpaid_time: iso(order.unpaid_time),
    paid_time: iso(order.paid_time),
    conflict_time: iso(order.conflict_time),
    status_history: historyOf('status'),
    payment_status_history: historyOf('payment_status'),
    is_probably_spam: order.is_probably_spam,
    mark_as_spam_by: order.mark_as_spam_by,
    platform: order.platform,
    external_id: order.external_id,
    is_repeat: order.is_repeat,
    is_from_form: order.is_from_form,
    is_purchase_fb: order.is_purchase_fb,
    is_purchase_tiktok: order.is_purchase_tiktok,
    is_purchase_kwai: order.is_purchase_kwai,
    is_dropshipping: order.is_dropshipping,
    dropshipper_name: order.dropshipper_name,
    dropshipper_phone: order.dropshipper_phone,
    tags: order.tags,
    utm_source: order.utm_source,
    notes: order.notes,
    metadata: order.metadata,
    agent_context: order.agent_context,
    business: {
      id: order.business_id,
      unique_id: order.business_unique_id,
      username: order.business_username,
      account_holder: order.business_account_holder,
    },
    store: { id: order.store_id, unique_id: order.store_unique_id, name: order.store_name },
    warehouse:
      order.warehouse_id === null || order.warehouse_unique_id === null || order.warehouse_name === null
        ? null
        : {
            id: order.warehouse_id,
            unique_id: order.warehouse_unique_id,
            name: order.warehouse_name,
            contact_name: order.warehouse_contact_name,
            contact_phone: order.warehouse_contact_phone,
          },
    page: order.page_unique_id ? { unique_id: order.page_unique_id, name: order.page_name ?? '' } : null,
    handler: user(order.handler_user_id, order.handler_name, order.handler_email, order.handler_phone),
    handler_phone: order.handler_phone,
    advertiser: user(
      order.advertiser_user_id,
      order.advertiser_name,
      order.advertiser_email,
      order.advertiser_phone,
    ),
    last_updated_by: user(
      order.last_updated_by_user_id,
      order.last_updated_by_name,
      order.last_updated_by_email,
      order.last_updated_by_phone,
    ),
    customer: {
      id: order.customer_id,
      name: order.customer_name,
      email: order.customer_email,
      phone: order.customer_phone,
    },
    destination_address: destinationAddressOf(order),
    ip: order.client_ip,
    chat_message: `Halo ${order.customer_name}, terima kasih atas pesanan ${order.order_id}.`,
    orderlines: lines.map((line) => ({
      id: line.id,
      variant: line.bundle_price_option_id === null ? line.variant_id : null,
      bundle_price_option: line.bundle_price_option_id,
      item_type: line.item_type,
      product_name: line.product_name,
      name: line.name,
      variant_sku: line.sku,
      variant_option1_value: line.variant_option1_value,
      variant_option2_value: line.variant_option2_value,
      variant_option3_value: line.variant_option3_value,
      quantity: line.quantity,
      variant_price: line.unit_price,
      variant_price_bt: line.unit_price_bt,
      product_price: line.product_price,
      product_price_bt: formatCents(toCents(line.unit_price_bt) * BigInt(line.quantity)),
      cogs: line.cogs,
      cogs_bt: line.cogs_bt,
      weight: line.weight,
      is_inventory: line.is_inventory,
      currency: 'IDR' as const,
    })),
    variants,
    bundle_price_options: bundlePriceOptions,
    total_quantity: order.total_quantity,
    product_weight: String(order.product_weight),
    total_weight: String(order.product_weight),
    tax_rate: Number(order.tax_rate),
    product_price: order.product_price,
    product_price_bt: order.product_price_bt,
    product_discount: order.product_discount,
    product_discount_bt: order.product_discount_bt,
    shipping_cost: order.shipping_cost,
    shipping_discount: order.shipping_discount,
    discount_code_id: order.discount_code_id,
    discount_code_code: order.discount_code_code,
    discount_code_discount: order.discount_code_discount,
    unique_code_discount: order.unique_code_discount,
    other_income: order.other_income,
    other_income_bt: order.other_income_bt,
    other_income_name: order.other_income_name,
    payment_fee: order.service_fee,
    gross_revenue: order.gross_revenue,
    net_revenue: order.net_revenue,
    cogs: order.cogs,
    cogs_bt: order.cogs_bt,
    payment_method: order.payment_method,
    sub_payment_method: order.sub_payment_method,
    epayment_provider: order.epayment_provider,
    pg_reference_id: order.pg_reference_id,
    pg_payment_info: order.pg_payment_info,
    payment_account_id: order.payment_account_id,
    payment_account_holder: order.payment_account_holder,
    payment_account_number: order.payment_account_number,
    financial_entity:
      order.financial_entity_id === null || order.financial_entity_code === null
        ? null
        : {
            id: order.financial_entity_id,
            code: order.financial_entity_code,
            name: order.financial_entity_name ?? '',
            entity_type: order.financial_entity_type ?? '',
          },
    transfer_time: iso(order.transfer_time),
    transferproof_url: order.transferproof_url,
    rtsproof_url: order.rtsproof_url,
    courier_service: order.courier_service,
    courier_aggregator_code: order.courier_aggregator_code,
    shipment_provider_code: order.shipment_provider_code,
    shipment_receipt: order.shipment_receipt,
    shipment_status: order.shipment_status,
    shipment_status_history: order.shipment_status_history,
    courier_additional_info: order.courier_additional_info,
    awb_status: order.awb_status,
    awb_ca_status: order.awb_ca_status,
    created_at: order.created_at.toISOString(),
    last_updated_at: order.last_updated_at.toISOString(),
  };
}

/**
 * A business's orders by id in the business view, in three statements whatever their number, in
 * the order of `ids`; ids that are not this business's orders (or not UUIDs) are left out.
 * Sequential on purpose: `db` may be a transaction, whose one connection runs one query at a time.
 */
export async function findBusinessOrders(
  db: Db,
  businessId: number,
  ids: readonly string[],
  publicUrl: string,
): Promise<BusinessOrderObject[]> {
  return (await readViews(db, businessId, ids, publicUrl)).map(({ view }) => view);
}

async function readViews(db: Db, businessId: number, ids: readonly string[], publicUrl: string) {
  const wanted = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
  if (wanted.length === 0) return [];
  const orders = await q
    .businessOrders(db, businessId)
    .where(sql<boolean>`o.id = any(${wanted}::uuid[])`)
    .modifyFront(PREPARED)
    .execute();
  const found = orders.map((row) => row.id);
  const lines = await q.businessOrderlines(db, businessId, found);
  const history = await q.businessStatusHistory(db, businessId, found);
  const byId = new Map(
    orders.map((row) => [
      row.id,
      { row, lines: [] as OrderlineRow[], history: [] as q.BusinessHistoryRow[] },
    ]),
  );
  for (const line of lines) byId.get(line.order_id)?.lines.push(line);
  for (const entry of history) byId.get(entry.order_id)?.history.push(entry);
  return wanted.flatMap((id) => {
    const entry = byId.get(id);
    return entry
      ? [
          {
            view: presentBusinessOrder(entry.row, entry.lines, entry.history, publicUrl),
            version: entry.row.view_version,
          },
        ]
      : [];
  });
}

const serializeListItem = serializerOf<BusinessOrderObject>(BusinessOrderListItem);

/**
 * The business views of `ids` (the business's orders, in that order) as the list route serializes
 * them: each current one as stored in `views`, the others read, serialized and stored. Two
 * statements when every view is current (the versions, business-queries.ts), five otherwise;
 * three, without versions, when `views` is off.
 */
export async function serializedBusinessOrders(
  db: Db,
  views: OrderViewCache,
  businessId: number,
  ids: readonly string[],
  publicUrl: string,
): Promise<string[]> {
  if (ids.length === 0) return [];
  if (!views.enabled) {
    return (await readViews(db, businessId, ids, publicUrl)).map(({ view }) => serializeListItem(view));
  }
  const versions = await q.businessOrderVersions(db, businessId, ids);
  const json = new Map<string, string>();
  const stale: string[] = [];
  for (const { id, version } of versions) {
    const stored = views.get(id, version);
    if (stored === undefined) stale.push(id);
    else json.set(id, stored);
  }
  for (const { view, version } of await readViews(db, businessId, stale, publicUrl)) {
    const text = serializeListItem(view);
    views.set(view.id, version, text);
    json.set(view.id, text);
  }
  return ids.flatMap((id) => json.get(id) ?? []);
}
