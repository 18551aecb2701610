import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface CustomerContact {
  businessId: number;
  /** The store the customer came through, kept from their first order. */
  storeId: number | null;
  name: string;
  email: string;
  phone: string | null;
}

/**
 * The business's customer for this e-mail, created on first sight: checkout, the business API and
 * the CSV import all land on the same row (one per e-mail per business). An existing customer keeps
 * their name; a missing phone is filled in. Safe under concurrent checkouts of one e-mail (the
 * unique index decides, the loser reads the winner's row). Runs in the caller's transaction.
 */
export async function upsertCustomerByEmail(trx: Db, contact: CustomerContact): Promise<number> {
  const row = await customerUpsertQuery(trx, contact).executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The statement `upsertCustomerByEmail` runs (answering the customer's `id`), for callers that embed
 * it in a larger statement (order creation runs it as a CTE of the order insert).
 */
export function customerUpsertQuery(trx: Db, contact: CustomerContact) {
  const email = contact.email.trim().toLowerCase();
  return trx
    .insertInto('customers')
    .values({
      business_id: contact.businessId,
      store_id: contact.storeId,
      name: contact.name,
      email,
      phone: contact.phone,
    })
    .onConflict((oc) =>
      oc.columns(['business_id', 'email']).doUpdateSet({
        phone: sql<string | null>`coalesce(customers.phone, excluded.phone)`,
      }),
    )
    .returning('id');
}
