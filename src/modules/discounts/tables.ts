import type { ColumnType, Generated } from 'kysely';

type NullableMoney = ColumnType<string | null, string | null | undefined, string | null>;

export type DiscountAppliedTo = 'product_price' | 'shipping_cost';
export type DiscountAmountType = 'fixed' | 'percentage';

export interface DiscountCodesTable {
  id: Generated<number>;
  business_id: number;
  code: string;
  applied_to: DiscountAppliedTo;
  amount_type: DiscountAmountType;
  amount: NullableMoney;
  /** Percent, numeric(5,2): "10.00" is 10%. */
  percentage: NullableMoney;
  is_max_amount: Generated<boolean>;
  max_amount: NullableMoney;
  is_enabled: Generated<boolean>;
  is_usage_limit: Generated<boolean>;
  usage_limit: number | null;
  current_usage: Generated<number>;
  is_expiry: Generated<boolean>;
  expiry_time: ColumnType<Date | null, Date | null | undefined, Date | null>;
  is_limited_to_pages: Generated<boolean>;
  is_limited_to_payment_methods: Generated<boolean>;
  payment_methods: ColumnType<string[], string[] | undefined, string[]>;
  is_minimum_revenue: Generated<boolean>;
  minimum_revenue: NullableMoney;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface DiscountCodePagesTable {
  discount_code_id: number;
  page_id: number;
  business_id: number;
}

declare module '../../db/schema.ts' {
  interface DB {
    discount_codes: DiscountCodesTable;
    discount_code_pages: DiscountCodePagesTable;
  }
}
