import type { ColumnType, Generated } from 'kysely';

type Money = ColumnType<string, string | undefined, string>;

export interface StoreMethodOtherIncomesTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  payment_method: string;
  sub_payment_method: string | null;
  type: 'fixed' | 'percentage';
  amount: Money;
  percentage: Money;
  created_at: Generated<Date>;
}

export interface FinancialEntitiesTable {
  id: number;
  code: string;
  name: string;
  entity_type: 'bank' | 'ewallet';
}

export interface PaymentAccountsTable {
  id: Generated<number>;
  business_id: number;
  unique_id: string;
  financial_entity_id: number;
  account_number: string;
  account_holder: string;
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface StoreSalesPeopleTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  user_id: number;
  weight: Generated<number>;
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface StoreChannelsTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  unique_id: string;
  name: string;
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    store_method_other_incomes: StoreMethodOtherIncomesTable;
    financial_entities: FinancialEntitiesTable;
    payment_accounts: PaymentAccountsTable;
    store_sales_people: StoreSalesPeopleTable;
    store_channels: StoreChannelsTable;
  }
}
