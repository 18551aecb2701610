import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * Table types for Kysely. Row shapes stay inside `queries.ts`/`service.ts` of each module;
 * services map them to the contract's objects so database columns never leak onto the wire.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json = ColumnType<
  Record<string, unknown>,
  Record<string, unknown> | string | undefined,
  Record<string, unknown> | string
>;

export interface NexusSettingsTable {
  key: string;
  value: string;
  created_at: Generated<Date>;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  phone: string | null;
  password_hash: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BusinessesTable {
  id: Generated<number>;
  unique_id: string;
  username: string;
  account_holder: string;
  email: string | null;
  phone: string | null;
  is_active: Generated<boolean>;
  /** Fraction (0.11 = 11%); prices are stored with tax and `*_bt` values derive from it. */
  tax_rate: ColumnType<string, string | number | undefined, string | number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface BusinessRolesTable {
  id: Generated<number>;
  business_id: number;
  name: string;
  is_owner: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface BusinessUsersTable {
  id: Generated<number>;
  business_id: number;
  user_id: number;
  role_id: number;
  business_phone: string | null;
  is_verified: boolean;
  is_locked: Generated<boolean>;
  metadata: Json;
  invited_at: Generated<Date>;
  verified_at: NullableTimestamp;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ApiKeysTable {
  id: Generated<number>;
  business_id: number;
  created_by_user_id: number | null;
  name: string;
  kind: 'secret' | 'restricted';
  token_hash: string;
  token_last4: string;
  scopes: string[];
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface OAuthApplicationsTable {
  id: Generated<number>;
  owner_business_id: number | null;
  registration: Generated<'developer' | 'dynamic'>;
  name: string;
  description: string | null;
  logo_url: string | null;
  homepage_url: string | null;
  manage_url: string | null;
  client_id: string;
  client_secret_hash: string | null;
  redirect_uris: string[];
  scopes: string[];
  webhook_events: Generated<string[]>;
  token_endpoint_auth_method: Generated<'client_secret_post' | 'client_secret_basic' | 'none'>;
  grant_types: Generated<string[]>;
  secret_rotated_at: NullableTimestamp;
  /** Where installations' webhooks go (migration 0032); null: the app receives none. */
  webhook_url: string | null;
  /** The app's webhook signing secret, sealed with `keys.webhookSecrets`; never logged. */
  webhook_secret_ciphertext: string | null;
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

/** An approved billing tag, as the merchant saw it on approval (integer IDR). */
export interface ApprovedBillingTag {
  billing_tag_id: string;
  tag_code: string;
  label: string;
  price: number;
  currency: string;
  action_key: string;
}

export interface OAuthInstallationsTable {
  id: Generated<number>;
  application_id: number;
  business_id: number;
  authorized_by_user_id: number;
  scopes: string[];
  status: 'active' | 'revoked';
  is_enabled: Generated<boolean>;
  granted_webhook_events: Generated<string[]>;
  approved_billing_tags: ColumnType<ApprovedBillingTag[], string | undefined, string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OAuthTokenFamiliesTable {
  id: Generated<number>;
  application_id: number;
  user_id: number;
  installation_ids: number[];
  scopes: string[];
  resource: string | null;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface OAuthAuthorizationCodesTable {
  id: Generated<number>;
  application_id: number;
  user_id: number;
  code_hash: string;
  redirect_uri: string;
  code_challenge: string;
  scopes: string[];
  installation_ids: number[];
  resource: string | null;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  family_id: number | null;
  created_at: Generated<Date>;
}

export interface OAuthAccessTokensTable {
  id: Generated<number>;
  application_id: number;
  user_id: number;
  family_id: number;
  token_hash: string;
  scopes: string[];
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface OAuthRefreshTokensTable {
  id: Generated<number>;
  family_id: number;
  token_hash: string;
  expires_at: Timestamp;
  rotated_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface OAuthLaunchTokensTable {
  id: Generated<number>;
  installation_id: number;
  token_hash: string;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface StoresTable extends StoreSettingColumns {
  id: Generated<number>;
  business_id: number;
  unique_id: string;
  name: string;
  is_public: Generated<boolean>;
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

type StoreMoney = ColumnType<string, string | undefined, string>;
type StoreText = ColumnType<string, string | undefined, string>;
type StoreTextArray = ColumnType<string[], string[] | undefined, string[]>;
type JsonArray = ColumnType<unknown[], string | undefined, string>;

/** Store settings (migration 0009): checkout, notifications, spam filters, other income. */
export interface StoreSettingColumns {
  uuid: Generated<string>;
  logo: string | null;
  warehouse_id: number | null;
  payment_methods: StoreTextArray;
  va_bank_codes: StoreTextArray;
  is_auto_expire: Generated<boolean>;
  auto_expire_days: Generated<number>;
  is_discount_editable: Generated<boolean>;
  is_unique_code: Generated<boolean>;
  max_unique_code_amount: Generated<number>;
  is_postal_code: Generated<boolean>;
  postal_code_requirement: StoreText;
  is_customer_otp_required: Generated<boolean>;
  is_manual_shipping_cost: Generated<boolean>;
  is_courier_required: Generated<boolean>;
  is_transferproof_required: Generated<boolean>;
  is_dropshipping_allowed: Generated<boolean>;
  is_moota_enabled: Generated<boolean>;
  email_notification_statuses: StoreTextArray;
  email_reply_to_id: number | null;
  email_reply_to_assignment: StoreText;
  is_email_new_order: Generated<boolean>;
  is_email_notifications: Generated<boolean>;
  whatsapp_notification_statuses: StoreTextArray;
  is_whatsapp_new_order: Generated<boolean>;
  is_whatsapp_payment_d1_fu: Generated<boolean>;
  is_whatsapp_payment_d2_fu: Generated<boolean>;
  is_whatsapp_payment_last_fu: Generated<boolean>;
  is_whatsapp_link_download: Generated<boolean>;
  non_cod_purchase_triggers: StoreTextArray;
  cod_purchase_triggers: StoreTextArray;
  capi_purchase_value_type: StoreText;
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
  blocked_message: StoreText;
  is_order_hard_filter: Generated<boolean>;
  is_customer_spam_filter: Generated<boolean>;
  is_ip_spam_filter: Generated<boolean>;
  is_spam_filter: Generated<boolean>;
  is_use_waba: Generated<boolean>;
  waba_account_id: number | null;
  greeting_message: StoreText;
  inactivity_period: Generated<number>;
  is_greeting_message_enabled: Generated<boolean>;
  digital_only_complete_type: StoreText;
  auto_other_income: StoreText;
  fixed_auto_other_income: StoreMoney;
  other_income_name: StoreText;
  dynamic_other_income_cod_type: StoreText;
  dynamic_other_income_cod_default_amount: StoreMoney;
  dynamic_other_income_cod_default_percentage: StoreMoney;
  dynamic_other_income_epayment_type: StoreText;
  dynamic_other_income_epayment_default_amount: StoreMoney;
  dynamic_other_income_epayment_default_percentage: StoreMoney;
  store_courier_other_incomes: JsonArray;
  store_custom_audiences: JsonArray;
}

export interface StorefrontPublicApiKeysTable {
  id: Generated<string>;
  business_id: number;
  store_id: number;
  token: string;
  status: 'active' | 'revoked';
  created_by_user_id: number | null;
  revoked_at: NullableTimestamp;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface StorefrontAllowedOriginsTable {
  id: Generated<string>;
  business_id: number;
  store_id: number;
  origin: string;
  status: 'active' | 'revoked';
  created_by_user_id: number | null;
  revoked_at: NullableTimestamp;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PagesTable {
  id: Generated<number>;
  business_id: number;
  store_id: number | null;
  unique_id: string;
  name: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface PagePublicApiKeysTable {
  id: Generated<string>;
  business_id: number;
  page_id: number;
  token: string;
  status: 'active' | 'revoked';
  created_by_user_id: number | null;
  revoked_at: NullableTimestamp;
  inserted_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface ProvincesTable {
  id: number;
  name: string;
}

export interface CitiesTable {
  id: number;
  province_id: number;
  name: string;
}

export interface LocationsTable {
  id: number;
  province_id: number;
  city_id: number;
  province_name: string;
  city_name: string;
  subdistrict_name: string;
  display: string;
  /** Lower-cased province, city, subdistrict and urban (kelurahan/desa) names, for search. */
  search_text: string;
}

export interface PostalCodesTable {
  id: Generated<number>;
  location_id: number;
  postal_code: string;
  urban: string;
}

/** numeric(20,2): read as a decimal string, written as a string (never a binary float). */
type Money = ColumnType<string, string, string>;
type MoneyWithDefault = ColumnType<string, string | undefined, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

export interface ProductTaxonomiesTable {
  id: number;
  parent_id: number | null;
  name: string;
  full_path: string;
  level: number;
  level_1: string;
  level_2: string | null;
  level_3: string | null;
  level_4: string | null;
  level_5: string | null;
  level_6: string | null;
  level_7: string | null;
}

export interface WarehousesTable {
  id: Generated<number>;
  business_id: number;
  unique_id: string;
  name: string;
  contact_name: string | null;
  contact_phone: string | null;
  address: string | null;
  location_id: number | null;
  postal_code: string | null;
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export type ItemType = 'physical' | 'digital' | 'course' | 'license' | 'subscription';
export type PricingType = 'one_time' | 'recurring';
export type Interval = 'day' | 'week' | 'month' | 'year';

export interface ProductsTable {
  id: Generated<number>;
  business_id: number;
  uuid: Generated<string>;
  name: string;
  public_name: string | null;
  slug: string;
  description: string | null;
  rich_description: string | null;
  item_type: ItemType;
  is_inventory: Generated<boolean>;
  is_multiple: Generated<boolean>;
  is_product_sharing: Generated<boolean>;
  option1_name: string | null;
  option2_name: string | null;
  option3_name: string | null;
  meta_thumbnail: string | null;
  partnership_sales_letter: string | null;
  taxonomy_id: number | null;
  images: TextArray;
  labels: TextArray;
  is_affiliate_enabled: Generated<boolean>;
  is_affiliate_auto_accept: Generated<boolean>;
  is_affiliate_pro_enabled: Generated<boolean>;
  affiliate_commission_rate: string | null;
  affiliate_pro_commission_rate: string | null;
  created_by_user_id: number | null;
  last_updated_by_user_id: number | null;
  created_at: Generated<Date>;
  last_updated_at: Generated<Date>;
}

export interface VariantsTable {
  id: Generated<number>;
  business_id: number;
  product_id: number;
  uuid: Generated<string>;
  unique_id: string;
  position: Generated<number>;
  option1_value: string | null;
  option2_value: string | null;
  option3_value: string | null;
  sku: string | null;
  description: string | null;
  rich_description: string | null;
  price: Money;
  price_bt: Money;
  cogs: MoneyWithDefault;
  cogs_bt: MoneyWithDefault;
  reseller_price: MoneyWithDefault;
  reseller_price_bt: MoneyWithDefault;
  currency: Generated<string>;
  weight: Generated<number>;
  pricing_type: ColumnType<PricingType, PricingType | undefined, PricingType>;
  interval: Interval | null;
  interval_count: number | null;
  validity_period: number | null;
  validity_period_unit: Interval | null;
  is_checked: Generated<boolean>;
  is_editable: Generated<boolean>;
  images: TextArray;
  self_file_urls: TextArray;
  metadata: Json;
  created_at: Generated<Date>;
  last_updated_at: Generated<Date>;
}

export interface WarehouseStocksTable {
  warehouse_id: number;
  variant_id: number;
  business_id: number;
  qty: Generated<number>;
  updated_at: Generated<Date>;
}

export interface BundlesTable {
  id: Generated<number>;
  business_id: number;
  custom_id: string | null;
  name: string;
  public_name: string | null;
  description: string | null;
  rich_description: string | null;
  meta_thumbnail: string | null;
  images: TextArray;
  labels: TextArray;
  weight_bump: Generated<number>;
  is_bundle_sharing: Generated<boolean>;
  created_by_user_id: number | null;
  last_updated_by_user_id: number | null;
  created_at: Generated<Date>;
  last_updated_at: Generated<Date>;
}

export interface BundleLinesTable {
  id: Generated<number>;
  business_id: number;
  bundle_id: number;
  variant_id: number;
  quantity: number;
  position: Generated<number>;
}

export interface BundlePriceOptionsTable {
  id: Generated<number>;
  business_id: number;
  bundle_id: number;
  unique_id: string;
  name: string;
  slug: string;
  price: Money;
  price_bt: Money;
  weight_bump: Generated<number>;
  position: Generated<number>;
  created_at: Generated<Date>;
  last_updated_at: Generated<Date>;
}

export interface StoreProductsTable {
  store_id: number;
  product_id: number;
  business_id: number;
  is_hidden_from_listing: Generated<boolean>;
  created_at: Generated<Date>;
  /** The storefront read model (migration 0021): ready JSON and the snapshot it was rendered under. */
  card: string | null;
  card_snapshot: string | null;
  detail: string | null;
  detail_snapshot: string | null;
}

export interface StoreBundlePriceOptionsTable {
  store_id: number;
  bundle_price_option_id: number;
  business_id: number;
  is_hidden_from_listing: Generated<boolean>;
  created_at: Generated<Date>;
  card: string | null;
  card_snapshot: string | null;
  detail: string | null;
  detail_snapshot: string | null;
}

/** A store's visible listings, kept by triggers (migration 0021). */
export interface StoreItemCountsTable {
  store_id: number;
  products: number;
  price_options: number;
}

/** A product's list item as its business sees it, stored (migration 0022). */
export interface ProductListCardsTable {
  product_id: number;
  business_id: number;
  card: string | null;
  variant_ids: number[] | null;
  file_slots: number[] | null;
  snapshot: string | null;
}

/** What changed in the catalog since a stored card was rendered (migrations 0021, 0022). */
export interface CatalogChangesTable {
  id: Generated<number>;
  product_id: number | null;
  bundle_id: number | null;
  xid: Generated<string>;
  created_at: Generated<Date>;
}

export interface DB {
  nexus_settings: NexusSettingsTable;
  users: UsersTable;
  businesses: BusinessesTable;
  business_roles: BusinessRolesTable;
  business_users: BusinessUsersTable;
  api_keys: ApiKeysTable;
  oauth_applications: OAuthApplicationsTable;
  oauth_installations: OAuthInstallationsTable;
  oauth_access_tokens: OAuthAccessTokensTable;
  oauth_token_families: OAuthTokenFamiliesTable;
  oauth_authorization_codes: OAuthAuthorizationCodesTable;
  oauth_refresh_tokens: OAuthRefreshTokensTable;
  oauth_launch_tokens: OAuthLaunchTokensTable;
  stores: StoresTable;
  storefront_public_api_keys: StorefrontPublicApiKeysTable;
  storefront_allowed_origins: StorefrontAllowedOriginsTable;
  pages: PagesTable;
  page_public_api_keys: PagePublicApiKeysTable;
  provinces: ProvincesTable;
  cities: CitiesTable;
  locations: LocationsTable;
  postal_codes: PostalCodesTable;
  product_taxonomies: ProductTaxonomiesTable;
  warehouses: WarehousesTable;
  products: ProductsTable;
  variants: VariantsTable;
  warehouse_stocks: WarehouseStocksTable;
  bundles: BundlesTable;
  bundle_lines: BundleLinesTable;
  bundle_price_options: BundlePriceOptionsTable;
  store_products: StoreProductsTable;
  store_bundle_price_options: StoreBundlePriceOptionsTable;
  catalog_changes: CatalogChangesTable;
  product_list_cards: ProductListCardsTable;
  store_item_counts: StoreItemCountsTable;
}

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;
