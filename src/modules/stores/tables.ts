import type { ColumnType, Generated, Kysely } from 'kysely';
import type { DB, StoresTable } from '../../db/schema.ts';

type Money = ColumnType<string, string | undefined, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;
type JsonArray = ColumnType<unknown[], string | undefined, string>;

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

/**
 * Columns migration 0009 adds to `stores`. They belong in StoresTable in src/db/schema.ts; until
 * that merge, `storesDb` below is the one place that widens the `stores` type to include them.
 */
export interface StoreSettingColumns {
  uuid: Generated<string>;
  logo: string | null;
  warehouse_id: number | null;
  payment_methods: TextArray;
  va_bank_codes: TextArray;
  is_auto_expire: Generated<boolean>;
  auto_expire_days: Generated<number>;
  is_discount_editable: Generated<boolean>;
  is_unique_code: Generated<boolean>;
  max_unique_code_amount: Generated<number>;
  is_postal_code: Generated<boolean>;
  postal_code_requirement: ColumnType<string, string | undefined, string>;
  is_customer_otp_required: Generated<boolean>;
  is_manual_shipping_cost: Generated<boolean>;
  is_courier_required: Generated<boolean>;
  is_transferproof_required: Generated<boolean>;
  is_dropshipping_allowed: Generated<boolean>;
  is_moota_enabled: Generated<boolean>;
  email_notification_statuses: TextArray;
  email_reply_to_id: number | null;
  email_reply_to_assignment: ColumnType<string, string | undefined, string>;
  is_email_new_order: Generated<boolean>;
  is_email_notifications: Generated<boolean>;
  whatsapp_notification_statuses: TextArray;
  is_whatsapp_new_order: Generated<boolean>;
  is_whatsapp_payment_d1_fu: Generated<boolean>;
  is_whatsapp_payment_d2_fu: Generated<boolean>;
  is_whatsapp_payment_last_fu: Generated<boolean>;
  is_whatsapp_link_download: Generated<boolean>;
  non_cod_purchase_triggers: TextArray;
  cod_purchase_triggers: TextArray;
  capi_purchase_value_type: ColumnType<string, string | undefined, string>;
  days_of_payment_processing: Generated<number>;
  is_show_download_invoice: Generated<boolean>;
  is_show_whatsapp: Generated<boolean>;
  is_fuc_product_enabled: Generated<boolean>;
  is_fuc_bundle_enabled: Generated<boolean>;
  is_advanced_validation: Generated<boolean>;
  min_name_length: Generated<number>;
  min_address_length: Generated<number>;
  max_per_phone: Generated<number>;
  max_per_ip: Generated<number>;
  blocked_message: ColumnType<string, string | undefined, string>;
  is_order_hard_filter: Generated<boolean>;
  is_customer_spam_filter: Generated<boolean>;
  is_ip_spam_filter: Generated<boolean>;
  is_spam_filter: Generated<boolean>;
  is_use_waba: Generated<boolean>;
  waba_account_id: number | null;
  greeting_message: ColumnType<string, string | undefined, string>;
  inactivity_period: Generated<number>;
  is_greeting_message_enabled: Generated<boolean>;
  digital_only_complete_type: ColumnType<string, string | undefined, string>;
  auto_other_income: ColumnType<string, string | undefined, string>;
  fixed_auto_other_income: Money;
  other_income_name: ColumnType<string, string | undefined, string>;
  dynamic_other_income_cod_type: ColumnType<string, string | undefined, string>;
  dynamic_other_income_cod_default_amount: Money;
  dynamic_other_income_cod_default_percentage: Money;
  dynamic_other_income_epayment_type: ColumnType<string, string | undefined, string>;
  dynamic_other_income_epayment_default_amount: Money;
  dynamic_other_income_epayment_default_percentage: Money;
  store_courier_other_incomes: JsonArray;
  store_custom_audiences: JsonArray;
}

export type StoresDb = Kysely<Omit<DB, 'stores'> & { stores: StoresTable & StoreSettingColumns }>;

/** The database with the 0009 store columns typed (a cast only: same connection or transaction). */
export function storesDb(db: Kysely<DB>): StoresDb {
  return db as unknown as StoresDb;
}
