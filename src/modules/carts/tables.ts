import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface CartsTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  guest_token: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  expires_at: Timestamp;
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
