import type { Static } from '@sinclair/typebox';
import type { CustomerRow } from './queries.ts';
import type { BusinessCustomer, CustomerProfile } from './schemas.ts';

export type CustomerProfileObject = Static<typeof CustomerProfile>;
export type BusinessCustomerObject = Static<typeof BusinessCustomer>;

/**
 * The one customer presenter: the profile the customer sees of themselves, and, for the business,
 * that profile plus what only the merchant keeps (notes, tags, origin store, whether a password is set).
 */
export function presentCustomer(row: CustomerRow, audience: 'customer'): CustomerProfileObject;
export function presentCustomer(row: CustomerRow, audience: 'business'): BusinessCustomerObject;
export function presentCustomer(
  row: CustomerRow,
  audience: 'customer' | 'business',
): CustomerProfileObject | BusinessCustomerObject {
  const profile: CustomerProfileObject = {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    email: row.email,
    phone: row.phone,
    date_of_birth: row.date_of_birth,
    sex: row.sex,
    is_unsubscribe: row.is_unsubscribe,
    status: row.status,
    confirmed_at: row.confirmed_at ? row.confirmed_at.toISOString() : null,
    created_at: row.created_at.toISOString(),
    last_updated_at: row.last_updated_at.toISOString(),
  };
  if (audience === 'customer') return profile;
  return {
    ...profile,
    store_id: row.store_id,
    notes: row.notes,
    tags: row.tags,
    has_password: row.has_password,
  };
}
