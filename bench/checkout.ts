import type { FastifyInstance, FastifyReply } from 'fastify';
import { type Insertable, sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import { randomString, uuidv7 } from '../src/lib/ids.ts';
import { beforeTax, formatCents, normalizeMoney, toCents } from '../src/lib/money.ts';
import { upsertCustomerByEmail } from '../src/modules/customers/records.ts';
import { newOrderNumber, newSecretSlug } from '../src/modules/orders/identifiers.ts';
import type { OrderlinesTable, OrdersTable } from '../src/modules/orders/tables.ts';
import { productDisplayName, variantDisplayName } from '../src/modules/storefront/naming.ts';
import { createPaymentAccount, setPaymentMethods } from '../src/modules/stores/setup-admin.ts';
import { sandboxRate } from '../src/providers/shipping/sandbox.ts';
import { type CheckoutDestination, checkoutBody } from './checkout-load.ts';
import type { BenchTenant } from './setup.ts';

/**
 * The checkout benchmark (`checkout`): buyers POST `/v3/stores/{store}/public/checkout` with typed
 * items against a shop of 100 variants with stock enough never to run out, beside a floor that
 * creates the same order rows in one transaction with the fewest statements.
 *
 * The shop lives in the run's throw-away tenant (bench/setup.ts), so its orders go when the
 * tenant does: 25 physical products with 4 variants each (Rp 22,000-485,000, 200-1,325 g), all
 * tracked in one Jakarta warehouse with 1,000,000 units each, listed in the tenant's store; the
 * store takes bank transfer (a BCA account) and COD and otherwise keeps its defaults (courier
 * required, no unique code, no other charges). Buyers ship to Kota Bandung with JNE REG, which
 * the sandbox shipping provider prices and which can collect COD there.
 */

/** Kota Bandung (a kelurahan id of the regions data), as test/modules/checkout/fixtures.ts uses. */
export const BANDUNG = 327301;
/** Jakarta Pusat: where the shop's warehouse is. */
const JAKARTA = 317105;
/** JNE REG in the contract's courier service list. */
export const JNE_REG = 15;
const PRODUCTS = 25;
const VARIANTS_PER_PRODUCT = 4;
export const STOCK_PER_VARIANT = 1_000_000;
const COLOURS = ['Hitam', 'Putih', 'Merah', 'Navy'];

export interface CheckoutShop {
  businessId: number;
  storeId: number;
  storeUniqueId: string;
  storefrontKey: string;
  warehouseId: number;
  variantIds: number[];
  destination: CheckoutDestination;
}

/** Builds the shop in the tenant's store; run once per benchmark run, on a fresh tenant. */
export async function setupCheckoutShop(db: Db, tenant: BenchTenant): Promise<CheckoutShop> {
  const businessId = tenant.businessId;
  const warehouse = await db
    .insertInto('warehouses')
    .values({
      business_id: businessId,
      unique_id: `warehouse_${randomString(24)}`,
      name: 'Gudang Jakarta',
      contact_name: 'Admin Gudang',
      contact_phone: '081200000000',
      address: 'Jl. Kebon Sirih No. 1',
      location_id: JAKARTA,
      postal_code: '10340',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const products = await db
    .insertInto('products')
    .values(
      Array.from({ length: PRODUCTS }, (_, i) => ({
        business_id: businessId,
        name: `Kaos Checkout Seri ${i + 1}`,
        slug: `kaos-checkout-${i + 1}`,
        item_type: 'physical' as const,
        is_inventory: true,
        is_multiple: true,
        option1_name: 'Warna',
        created_by_user_id: tenant.userId,
        last_updated_by_user_id: tenant.userId,
      })),
    )
    .returning('id')
    .execute();
  const variants = await db
    .insertInto('variants')
    .values(
      products.flatMap((product, i) =>
        COLOURS.slice(0, VARIANTS_PER_PRODUCT).map((colour, position) => {
          const price = normalizeMoney(25_000 + ((i * 37 + position * 11) % 48) * 10_000 - position * 1_000);
          const cogs = normalizeMoney(Math.round(Number(price) * 0.6));
          return {
            business_id: businessId,
            product_id: product.id,
            unique_id: `variant_${randomString(24)}`,
            position,
            option1_value: colour,
            sku: `CO-${i + 1}-${position + 1}`,
            price,
            price_bt: price,
            cogs,
            cogs_bt: cogs,
            weight: 200 + ((i * 3 + position) % 10) * 125,
          };
        }),
      ),
    )
    .returning('id')
    .execute();
  await db
    .insertInto('store_products')
    .values(products.map((p) => ({ store_id: tenant.storeId, product_id: p.id, business_id: businessId })))
    .execute();
  await db
    .insertInto('warehouse_stocks')
    .values(
      variants.map((v) => ({
        warehouse_id: warehouse.id,
        variant_id: v.id,
        business_id: businessId,
        qty: STOCK_PER_VARIANT,
      })),
    )
    .execute();
  await setPaymentMethods(db, businessId, { storeId: tenant.storeId, methods: ['bank_transfer', 'cod'] });
  await createPaymentAccount(db, businessId, {
    bank: 'BCA',
    accountNumber: '1234567890',
    accountHolder: 'Toko Benchmark',
  });
  return {
    businessId,
    storeId: tenant.storeId,
    storeUniqueId: tenant.storeUniqueId,
    storefrontKey: tenant.storefrontKey,
    warehouseId: warehouse.id,
    variantIds: variants.map((v) => v.id).sort((a, b) => a - b),
    destination: { locationId: BANDUNG, postalCode: '40111', courierServiceId: JNE_REG },
  };
}

interface FloorBody {
  items?: Array<{ variant_id?: number; quantity?: number }>;
  customer_name?: string;
  customer_email?: string;
  customer_phone?: string;
  shipping_address?: string;
  shipping_location_id?: number;
  shipping_postal_code?: string;
  payment_method?: string;
  courier_service_id?: number;
}

/** The variants of the request the store lists, with what the order snapshots and their stock rows. */
function floorVariants(db: Db, shop: CheckoutShop, variantIds: number[]) {
  return db
    .selectFrom('variants as v')
    .innerJoin('store_products as sp', (join) =>
      join.onRef('sp.product_id', '=', 'v.product_id').on('sp.store_id', '=', shop.storeId),
    )
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'v.id',
      'v.unique_id',
      'v.sku',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
      'v.price',
      'v.weight',
      'v.cogs',
      'v.cogs_bt',
      'p.name as product_name',
      'p.public_name as product_public_name',
      'p.item_type',
      'p.is_inventory',
      sql<Array<{ warehouse_id: number; qty: number }>>`coalesce((
        select json_agg(json_build_object('warehouse_id', ws.warehouse_id, 'qty', ws.qty) order by ws.warehouse_id)
        from warehouse_stocks ws where ws.variant_id = v.id), '[]'::json)`.as('stocks'),
    ])
    .where('v.business_id', '=', shop.businessId)
    .where('v.id', 'in', variantIds)
    .execute();
}

interface FloorContext {
  payment_methods: string[];
  tax_rate: string;
  destination: {
    id: number;
    province_id: number;
    city_id: number;
    province_name: string;
    city_name: string;
    subdistrict_name: string;
  } | null;
  service: {
    id: number;
    courier_code: string;
    service_code: string;
    name: string;
    is_cod_supported: boolean;
    courier_name: string;
  } | null;
  warehouses: Array<{
    id: number;
    location_id: number;
    province_id: number;
    city_id: number;
    postal_code: string | null;
  }>;
  account: { bank: string; account_number: string; account_holder: string } | null;
}

/** Everything else an order needs, in one row: store, tax rate, destination, service, warehouses, account. */
async function floorContext(db: Db, shop: CheckoutShop, locationId: number, serviceId: number) {
  const { rows } = await sql<FloorContext>`
    select st.payment_methods, b.tax_rate::text as tax_rate,
      (select json_build_object('id', l.id, 'province_id', l.province_id, 'city_id', l.city_id,
         'province_name', l.province_name, 'city_name', l.city_name, 'subdistrict_name', l.subdistrict_name)
       from locations l where l.id = ${locationId}) as destination,
      (select json_build_object('id', s.id, 'courier_code', s.courier_code, 'service_code', s.service_code,
         'name', s.name, 'is_cod_supported', s.is_cod_supported, 'courier_name', c.name)
       from courier_services s join couriers c on c.code = s.courier_code
       where s.id = ${serviceId} and s.is_active) as service,
      coalesce((select json_agg(json_build_object('id', w.id, 'location_id', w.location_id,
         'province_id', l.province_id, 'city_id', l.city_id, 'postal_code', w.postal_code) order by w.id)
       from warehouses w join locations l on l.id = w.location_id
       where w.business_id = st.business_id and w.is_active), '[]'::json) as warehouses,
      (select json_build_object('bank', fe.code, 'account_number', pa.account_number,
         'account_holder', pa.account_holder)
       from payment_accounts pa join financial_entities fe on fe.id = pa.financial_entity_id
       where pa.business_id = st.business_id and pa.is_active order by pa.id limit 1) as account
    from stores st join businesses b on b.id = st.business_id
    where st.id = ${shop.storeId} and st.business_id = ${shop.businessId}`.execute(db);
  return rows[0];
}

class FloorOutOfStock extends Error {}

function unprocessable(reply: FastifyReply, field: string, message: string) {
  return reply.code(422).send({ error: 'validation_failed', errors: { [field]: [message] } });
}

/**
 * POST /floor/checkout: the least a checkout of typed variant items can do and still leave the
 * same order behind. Two reads at once: the requested variants the store lists (product, cost,
 * stock rows), and one row with the store's payment methods, the tax rate, the destination, the
 * courier service, the business's located warehouses and its first payment account. Then in
 * code: the first warehouse whose stock covers every line, the sandbox provider's rate for that
 * service and route (the same `sandboxRate` the app's provider runs), the totals in integer cents.
 * Then one transaction: the business's customer for the buyer's e-mail (the app's own
 * `upsertCustomerByEmail`, one statement), insert the order, its lines, its two history entries,
 * take the stock with one conditional UPDATE per variant in id order (as the app does, last, so
 * row locks are held briefly), insert the allocations. It answers 201 with the totals and lines,
 * not the full public order. It does NOT check the storefront key, rate-limit, validate the body with a schema,
 * resolve public ids or a guest cart, look for discount codes, store charges or unique codes (the
 * shop uses none), re-read the order after the commit, or serialize with a schema.
 */
export function addCheckoutFloor(app: FastifyInstance, db: Db, shop: CheckoutShop): void {
  app.post<{ Body: FloorBody }>('/floor/checkout', async (request, reply) => {
    const body = request.body;
    const wanted = new Map<number, number>();
    for (const item of body.items ?? []) {
      if (typeof item.variant_id !== 'number') return unprocessable(reply, 'items', 'variant_id missing');
      const quantity = item.quantity ?? 1;
      wanted.set(item.variant_id, (wanted.get(item.variant_id) ?? 0) + quantity);
    }
    if (wanted.size === 0) return unprocessable(reply, 'items', "can't be blank");
    const paymentMethod = body.payment_method ?? '';
    const [variants, context] = await Promise.all([
      floorVariants(db, shop, [...wanted.keys()]),
      floorContext(db, shop, Number(body.shipping_location_id), Number(body.courier_service_id)),
    ]);
    if (!context) return reply.code(404).send({ error: 'not_found' });
    if (variants.length !== wanted.size)
      return unprocessable(reply, 'items', 'is not available in this store');
    if (!context.payment_methods.includes(paymentMethod) || paymentMethod === 'no_payment')
      return unprocessable(reply, 'payment_method', 'is not enabled');
    const { destination, service } = context;
    if (!destination) return unprocessable(reply, 'shipping_location_id', 'is not a known location');
    if (!service) return unprocessable(reply, 'courier_service_id', 'is not available');

    const warehouse = context.warehouses.find((w) =>
      variants.every(
        (v) =>
          !v.is_inventory || (v.stocks.find((s) => s.warehouse_id === w.id)?.qty ?? 0) >= wanted.get(v.id)!,
      ),
    );
    if (!warehouse) return reply.code(409).send({ error: 'out_of_stock' });
    const weight = variants.reduce((sum, v) => sum + v.weight * wanted.get(v.id)!, 0);
    const place = (p: { id?: number; location_id?: number; province_id: number; city_id: number }) => ({
      locationId: p.location_id ?? p.id ?? 0,
      provinceId: p.province_id,
      cityId: p.city_id,
      postalCode: null,
    });
    const rate = sandboxRate(
      { origin: place(warehouse), destination: place(destination), weightGrams: weight },
      { courierCode: service.courier_code, serviceCode: service.service_code },
    );
    if (!rate || (paymentMethod === 'cod' && !(service.is_cod_supported && rate.isCodAvailable)))
      return unprocessable(reply, 'courier_service_id', 'cannot ship this order');

    const taxRate = context.tax_rate;
    const ordered = [...variants].sort((a, b) => a.id - b.id);
    const byRequest = [...wanted.keys()].map((id) => variants.find((v) => v.id === id)!);
    const productPrice = byRequest.reduce((sum, v) => sum + toCents(v.price) * BigInt(wanted.get(v.id)!), 0n);
    const shippingCost = BigInt(rate.cost) * 100n;
    const cogs = byRequest.reduce((sum, v) => sum + toCents(v.cogs) * BigInt(wanted.get(v.id)!), 0n);
    const cogsBt = byRequest.reduce((sum, v) => sum + toCents(v.cogs_bt) * BigInt(wanted.get(v.id)!), 0n);
    const now = new Date();
    const id = uuidv7(now.getTime());
    const courierService = {
      id: service.id,
      code: service.service_code,
      name: service.name,
      courier: { code: service.courier_code, name: service.courier_name },
    };
    const order: Insertable<OrdersTable> = {
      id,
      business_id: shop.businessId,
      store_id: shop.storeId,
      order_id: newOrderNumber(now),
      secret_slug: newSecretSlug(),
      source: 'storefront',
      status: 'pending',
      payment_status: 'unpaid',
      draft_time: now,
      pending_time: now,
      unpaid_time: now,
      customer_name: body.customer_name?.trim() || 'Pembeli',
      customer_email: body.customer_email?.trim().toLowerCase() ?? null,
      customer_phone: body.customer_phone ?? null,
      shipping_address: body.shipping_address ?? null,
      shipping_location_id: destination.id,
      shipping_postal_code: body.shipping_postal_code ?? null,
      shipping_province: destination.province_name,
      shipping_city: destination.city_name,
      shipping_subdistrict: destination.subdistrict_name,
      payment_method: paymentMethod,
      payment_account_bank: paymentMethod === 'bank_transfer' ? (context.account?.bank ?? null) : null,
      payment_account_number:
        paymentMethod === 'bank_transfer' ? (context.account?.account_number ?? null) : null,
      payment_account_holder:
        paymentMethod === 'bank_transfer' ? (context.account?.account_holder ?? null) : null,
      courier_service_id: service.id,
      courier_service: JSON.stringify(courierService),
      warehouse_id: warehouse.id,
      total_quantity: [...wanted.values()].reduce((a, b) => a + b, 0),
      product_weight: weight,
      tax_rate: taxRate,
      product_price: formatCents(productPrice),
      product_price_bt: beforeTax(formatCents(productPrice), taxRate),
      shipping_cost: formatCents(shippingCost),
      gross_revenue: formatCents(productPrice + shippingCost),
      net_revenue: formatCents(productPrice),
      cogs: formatCents(cogs),
      cogs_bt: formatCents(cogsBt),
      client_ip: request.ip ?? null,
      user_agent: request.headers['user-agent'] ?? null,
      created_at: now,
      last_updated_at: now,
    };
    const lines: Array<Insertable<OrderlinesTable>> = byRequest.map((v, position) => {
      const quantity = wanted.get(v.id)!;
      const unitPrice = normalizeMoney(v.price);
      return {
        business_id: shop.businessId,
        order_id: id,
        position,
        variant_id: v.id,
        bundle_price_option_id: null,
        item_type: v.item_type,
        name: variantDisplayName(productDisplayName(v.product_name, v.product_public_name), v),
        product_name: v.product_name,
        variant_unique_id: v.unique_id,
        sku: v.sku,
        variant_option1_value: v.option1_value,
        variant_option2_value: v.option2_value,
        variant_option3_value: v.option3_value,
        quantity,
        unit_price: unitPrice,
        unit_price_bt: beforeTax(unitPrice, taxRate),
        product_price: formatCents(toCents(unitPrice) * BigInt(quantity)),
        weight: v.weight,
        is_inventory: v.is_inventory,
        cogs: formatCents(toCents(v.cogs) * BigInt(quantity)),
        cogs_bt: formatCents(toCents(v.cogs_bt) * BigInt(quantity)),
        components: JSON.stringify([{ variant_id: v.id, quantity: 1, is_inventory: v.is_inventory }]),
      };
    });
    const history = (['status', 'payment_status'] as const).map((kind) => ({
      business_id: shop.businessId,
      order_id: id,
      kind,
      status: kind === 'status' ? 'pending' : 'unpaid',
      changed_at: now,
      actor: 'customer' as const,
      actor_user_id: null,
    }));
    try {
      await db.transaction().execute(async (trx) => {
        const customerId = await upsertCustomerByEmail(trx, {
          businessId: shop.businessId,
          storeId: shop.storeId,
          name: order.customer_name,
          email: body.customer_email?.trim() ?? '',
          phone: order.customer_phone ?? null,
        });
        await trx
          .insertInto('orders')
          .values({ ...order, customer_id: customerId })
          .execute();
        await trx.insertInto('orderlines').values(lines).execute();
        await trx.insertInto('order_status_histories').values(history).execute();
        const tracked = ordered.filter((v) => v.is_inventory);
        for (const v of tracked) {
          const taken = await trx
            .updateTable('warehouse_stocks')
            .set({ qty: sql`qty - ${wanted.get(v.id)!}`, updated_at: now })
            .where('warehouse_id', '=', warehouse.id)
            .where('variant_id', '=', v.id)
            .where('qty', '>=', wanted.get(v.id)!)
            .returning('variant_id')
            .executeTakeFirst();
          if (!taken) throw new FloorOutOfStock();
        }
        if (tracked.length)
          await trx
            .insertInto('order_stock_allocations')
            .values(
              tracked.map((v) => ({
                order_id: id,
                business_id: shop.businessId,
                variant_id: v.id,
                warehouse_id: warehouse.id,
                quantity: wanted.get(v.id)!,
              })),
            )
            .execute();
      });
    } catch (error) {
      if (error instanceof FloorOutOfStock) return reply.code(409).send({ error: 'out_of_stock' });
      throw error;
    }
    reply.code(201);
    return {
      id,
      order_id: order.order_id,
      secret_slug: order.secret_slug,
      status: 'pending',
      payment_status: 'unpaid',
      payment_method: paymentMethod,
      product_price: order.product_price,
      shipping_cost: order.shipping_cost,
      unique_code_discount: '0.00',
      gross_revenue: order.gross_revenue,
      courier_service: courierService,
      orderlines: lines.map((line) => ({
        variant_id: line.variant_id,
        name: line.name,
        quantity: line.quantity,
        product_price: line.product_price,
        weight: line.weight,
      })),
    };
  });
}

/** What the floor and the real route must agree on for the same body. */
export function comparableOrder(body: Record<string, unknown>): string {
  const lines = (body.orderlines as Array<Record<string, unknown>> | undefined) ?? [];
  return JSON.stringify({
    status: body.status,
    payment_status: body.payment_status,
    payment_method: body.payment_method,
    product_price: body.product_price,
    shipping_cost: body.shipping_cost,
    unique_code_discount: body.unique_code_discount,
    gross_revenue: body.gross_revenue,
    courier_service: body.courier_service,
    orderlines: lines.map((line) => ({
      variant_id: line.variant_id,
      name: line.name,
      quantity: line.quantity,
      product_price: line.product_price,
      weight: line.weight,
    })),
  });
}

/** Two fixed baskets (one per payment method) the preflight sends to both sides. */
export function preflightBodies(shop: CheckoutShop): Array<Record<string, unknown>> {
  const [a = 0, b = 0] = [shop.variantIds[3], shop.variantIds[42]];
  return [
    checkoutBody(shop.variantIds, shop.destination, Math.random, {
      items: [
        { variant_id: a, quantity: 2 },
        { variant_id: b, quantity: 1 },
      ],
      payment_method: 'bank_transfer',
    }),
    checkoutBody(shop.variantIds, shop.destination, Math.random, {
      items: [{ variant_id: b, quantity: 1 }],
      payment_method: 'cod',
    }),
  ];
}

export async function orderCount(db: Db, shop: CheckoutShop): Promise<number> {
  const row = await db
    .selectFrom('orders')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('store_id', '=', shop.storeId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/**
 * Units gone from the shop's stock against units the orders' allocations and lines account for:
 * all three must be equal, or some checkout lost or double-counted stock.
 */
export async function stockBalance(
  db: Db,
  shop: CheckoutShop,
): Promise<{ taken: number; allocated: number; ordered: number }> {
  const { rows } = await sql<{ taken: string; allocated: string; ordered: string }>`
    select
      (select coalesce(sum(${STOCK_PER_VARIANT} - qty), 0) from warehouse_stocks
        where warehouse_id = ${shop.warehouseId}) as taken,
      (select coalesce(sum(quantity), 0) from order_stock_allocations where business_id = ${shop.businessId}) as allocated,
      (select coalesce(sum(ol.quantity), 0) from orderlines ol where ol.business_id = ${shop.businessId}) as ordered`.execute(
    db,
  );
  const row = rows[0];
  return {
    taken: Number(row?.taken ?? 0),
    allocated: Number(row?.allocated ?? 0),
    ordered: Number(row?.ordered ?? 0),
  };
}
