import type { OrderRecord } from './record.ts';
import type { PublicOrder } from './schemas.ts';
import type { OrderActor } from './tables.ts';

export interface PublicOrderContext {
  /** The server's public base URL (config.publicUrl), without a trailing slash. */
  publicUrl: string;
  storeUniqueId: string;
}

/** Who changed a status, as a buyer may see it: a role, never a staff member's name. */
const PUBLIC_ACTOR: Record<OrderActor, string> = {
  customer: 'customer',
  business: 'merchant',
  system: 'system',
};

interface PaymentAccountJson {
  unique_id: string;
  account_number: string;
  account_holder: string;
  financial_entity_id: number;
  financial_entity_code: string;
  financial_entity_name: string;
  financial_entity_type: string;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

type AddressedOrder = Pick<
  OrderRecord['order'],
  | 'customer_name'
  | 'customer_phone'
  | 'customer_email'
  | 'shipping_address'
  | 'shipping_location_id'
  | 'shipping_postal_code'
  | 'shipping_province'
  | 'shipping_city'
  | 'shipping_subdistrict'
>;

/** Where the order ships, as both views show it; null for digital-only orders, placed without one. */
export function destinationAddressOf(order: AddressedOrder) {
  const hasDestination = [
    order.shipping_address,
    order.shipping_location_id,
    order.shipping_postal_code,
    order.shipping_province,
    order.shipping_city,
    order.shipping_subdistrict,
  ].some((value) => value !== null);
  if (!hasDestination) return null;
  return {
    name: order.customer_name,
    phone: order.customer_phone,
    email: order.customer_email,
    address: order.shipping_address,
    province: order.shipping_province,
    city: order.shipping_city,
    subdistrict: order.shipping_subdistrict,
    postal_code: order.shipping_postal_code,
    location_id: order.shipping_location_id,
  };
}

/**
 * The buyer-safe view of an order (checkout answer, public order routes, hosted pages). Built
 * field by field from an allow-list: nothing internal reaches it by accident when the table grows.
 */
export function toPublicOrder(record: OrderRecord, context: PublicOrderContext): PublicOrder {
  const { order, lines, history } = record;
  const orderUrl = `${context.publicUrl}/o/${order.secret_slug}`;
  const variants: Record<string, number> = {};
  const bundlePriceOptions: Record<string, number> = {};
  for (const line of lines) {
    if (line.bundle_price_option_id !== null) {
      const key = String(line.bundle_price_option_id);
      bundlePriceOptions[key] = (bundlePriceOptions[key] ?? 0) + line.quantity;
    } else if (line.variant_id !== null) {
      const key = String(line.variant_id);
      variants[key] = (variants[key] ?? 0) + line.quantity;
    }
  }
  const accounts = order.payment_accounts as PaymentAccountJson[];
  return {
    id: order.id,
    business: {
      unique_id: order.business_unique_id,
      username: order.business_username,
      account_holder: order.business_account_holder,
      email: order.business_email,
      logo: null,
    },
    secret_slug: order.secret_slug,
    public_order_url: orderUrl,
    payment_url: `${orderUrl}/pay`,
    redirect_url: order.redirect_url ?? `${orderUrl}/success`,
    order_id: order.order_id,
    status: order.status,
    payment_status: order.payment_status,
    is_probably_spam: order.is_probably_spam,
    draft_time: iso(order.draft_time),
    paid_time: iso(order.paid_time),
    transfer_time: iso(order.transfer_time),
    transferproof_url: order.transferproof_url,
    handler_phone: order.handler_phone,
    chat_message: `Halo, saya ${order.customer_name} ingin menanyakan pesanan ${order.order_id}.`,
    customer_id: order.customer_id,
    discount_code_code: order.discount_code_code,
    page: order.page_unique_id ? { unique_id: order.page_unique_id, name: order.page_name ?? '' } : null,
    gross_revenue: order.gross_revenue,
    product_price: order.product_price,
    product_discount: order.product_discount,
    shipping_cost: order.shipping_cost,
    shipping_discount: order.shipping_discount,
    other_income: order.other_income,
    other_income_name: order.other_income_name,
    unique_code_discount: order.unique_code_discount,
    discount_code_discount: order.discount_code_discount,
    pg_payment_info: order.pg_payment_info,
    status_history: history
      .filter((entry) => entry.kind === 'status')
      .map((entry) => ({
        status: entry.status,
        time: entry.changed_at.toISOString(),
        by: PUBLIC_ACTOR[entry.actor],
      })),
    payment_method: order.payment_method,
    sub_payment_method: order.sub_payment_method,
    epayment_provider: order.epayment_provider,
    payment_account_holder: order.payment_account_holder,
    payment_account_number: order.payment_account_number,
    shipment_status_history: order.shipment_status_history,
    shipment_receipt: order.shipment_receipt,
    courier_service: order.courier_service,
    variants,
    bundle_price_options: bundlePriceOptions,
    orderlines: lines.map((line) => ({
      variant_id: line.variant_id,
      bundle_price_option_id: line.bundle_price_option_id,
      item_type: line.item_type,
      name: line.name,
      product_name: line.product_name,
      variant_option1_value: line.variant_option1_value,
      variant_option2_value: line.variant_option2_value,
      variant_option3_value: line.variant_option3_value,
      quantity: line.quantity,
      variant_price: line.unit_price,
      product_price: line.product_price,
      weight: line.weight,
    })),
    payment_expiration_at: iso(order.payment_expiration_at),
    store_custom_domain: null,
    store: {
      unique_id: context.storeUniqueId,
      name: order.store_name,
      logo: order.store_logo,
      is_transferproof_required: order.store_is_transferproof_required,
      payment_accounts:
        order.payment_method === 'bank_transfer'
          ? accounts.map((account) => ({
              unique_id: account.unique_id,
              account_number: account.account_number,
              account_holder: account.account_holder,
              financial_entity: {
                id: account.financial_entity_id,
                code: account.financial_entity_code,
                name: account.financial_entity_name,
                entity_type: account.financial_entity_type,
              },
            }))
          : [],
    },
    destination_address: destinationAddressOf(order),
    customer: {
      id: order.customer_id,
      name: order.customer_name,
      email: order.customer_email,
      phone: order.customer_phone,
    },
  };
}
