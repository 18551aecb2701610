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
  metadata: Generated<Json>;
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
  name: string;
  client_id: string;
  client_secret_hash: string | null;
  redirect_uris: string[];
  scopes: string[];
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OAuthInstallationsTable {
  id: Generated<number>;
  application_id: number;
  business_id: number;
  authorized_by_user_id: number;
  scopes: string[];
  status: 'active' | 'revoked';
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface OAuthAccessTokensTable {
  id: Generated<number>;
  application_id: number;
  user_id: number;
  token_hash: string;
  scopes: string[];
  expires_at: Timestamp;
  revoked_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface StoresTable {
  id: Generated<number>;
  business_id: number;
  unique_id: string;
  name: string;
  is_public: Generated<boolean>;
  is_active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
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
  metadata: Generated<Json>;
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
}

export interface StoreBundlePriceOptionsTable {
  store_id: number;
  bundle_price_option_id: number;
  business_id: number;
  is_hidden_from_listing: Generated<boolean>;
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
}

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;
