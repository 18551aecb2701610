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
}

export type Row<T extends keyof DB> = Selectable<DB[T]>;
export type NewRow<T extends keyof DB> = Insertable<DB[T]>;
export type RowUpdate<T extends keyof DB> = Updateable<DB[T]>;
