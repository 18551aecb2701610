import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A business's customer: one per e-mail per business, whoever created it (checkout, business API, import). */
export interface CustomersTable {
  id: Generated<number>;
  uuid: Generated<string>;
  business_id: number;
  /** The store the customer first came through (null when the business created them). */
  store_id: number | null;
  name: string;
  /** Always lower-cased. */
  email: string | null;
  phone: string | null;
  status: Generated<string>;
  confirmed_at: NullableTimestamp;
  /** Memory-hard hash (scrypt); null until the customer has a password. */
  password_hash: string | null;
  /** True while the account has only the password it was made with (or none). */
  is_generated_password: Generated<boolean>;
  /** Tokens issued before this moment are invalid (password changes). */
  tokens_valid_after: Generated<Date>;
  /** `YYYY-MM-DD`. */
  date_of_birth: ColumnType<string | null, string | null | undefined, string | null>;
  sex: string | null;
  is_unsubscribe: Generated<boolean>;
  notes: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  created_at: Generated<Date>;
  last_updated_at: Generated<Date>;
}

export interface CustomerAddressesTable {
  id: Generated<number>;
  business_id: number;
  customer_id: number;
  name: string | null;
  phone: string | null;
  email: string | null;
  location_id: number | null;
  address: string | null;
  postal_code: string | null;
  notes: string | null;
  is_default: Generated<boolean>;
  created_at: Generated<Date>;
  last_updated_at: Generated<Date>;
}

/** One issued refresh token (`id` is its `jti`); rotation uses it and issues the next in the family. */
export interface CustomerRefreshTokensTable {
  id: string;
  family_id: string;
  business_id: number;
  store_id: number;
  customer_id: number;
  issued_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

/** Access tokens revoked before they expire (blacklist); rows can go once `expires_at` has passed. */
export interface CustomerRevokedTokensTable {
  jti: string;
  expires_at: Timestamp;
}

export interface CustomerOtpsTable {
  id: Generated<number>;
  business_id: number;
  store_id: number;
  customer_id: number;
  code_hash: string;
  attempts: Generated<number>;
  expires_at: Timestamp;
  consumed_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface CustomerPasswordResetsTable {
  /** sha256 of the token sent by e-mail; the token itself is never stored. */
  token_hash: string;
  business_id: number;
  store_id: number;
  customer_id: number;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
  created_at: Generated<Date>;
}

declare module '../../db/schema.ts' {
  interface DB {
    customers: CustomersTable;
    customer_addresses: CustomerAddressesTable;
    customer_refresh_tokens: CustomerRefreshTokensTable;
    customer_revoked_tokens: CustomerRevokedTokensTable;
    customer_otps: CustomerOtpsTable;
    customer_password_resets: CustomerPasswordResetsTable;
  }
}
