import type { ColumnType, Generated } from 'kysely';

export interface CartsTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  /** Set on a guest's cart; null on a customer's (exactly one of the two owners is set). */
  guest_token: string | null;
  customer_id: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Guest carts expire; a customer's cart does not (null). */
  expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface CartItemsTable {
  id: Generated<number>;
  cart_id: number;
  business_id: number;
  variant_id: number | null;
  bundle_price_option_id: number | null;
  quantity: number;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    carts: CartsTable;
    cart_items: CartItemsTable;
  }
}
