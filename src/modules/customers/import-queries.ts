import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CustomerImportRow } from './import-rows.ts';

/**
 * The customer import's batch writes: each is one statement for the whole batch, its rows sent as
 * one JSON parameter (`jsonb_to_recordset`), so a batch of 500 rows costs a handful of queries.
 * Every statement is scoped to the business; callers run them in one transaction per batch.
 */

export interface WrittenCustomer {
  id: number;
  /** The row's key: its e-mail, or for rows without one the phone key. */
  key: string;
  inserted: boolean;
}

function json(value: unknown) {
  return sql`${JSON.stringify(value)}::jsonb`;
}

/** Serializes concurrent imports of one business, so two runs cannot both create a phone-only customer. */
export async function lockBusinessImport(trx: Db, businessId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended('customers-import:' || ${String(businessId)}, 0))`.execute(
    trx,
  );
}

/** The location ids among `ids` that exist. */
export async function knownLocationIds(db: Db, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('locations').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((row) => row.id));
}

function customerFields(row: CustomerImportRow) {
  return {
    name: row.name,
    phone: row.phone,
    tags: row.tags,
    notes: row.notes,
    date_of_birth: row.dateOfBirth,
    sex: row.sex,
  };
}

/**
 * Rows with an e-mail: one customer per e-mail per business (the unique index decides, as for
 * checkout's `upsertCustomerByEmail`). An existing customer takes the file's name and every filled
 * cell; empty cells keep what the customer has, and tags are added to theirs. A customer the row
 * would not change is not rewritten (a re-run writes nothing), but is still answered.
 * `rows` must not repeat an e-mail.
 */
export async function upsertByEmail(
  trx: Db,
  businessId: number,
  rows: CustomerImportRow[],
): Promise<WrittenCustomer[]> {
  if (rows.length === 0) return [];
  const payload = rows.map((row) => ({ email: row.email, ...customerFields(row) }));
  const written = await sql<{ id: number; email: string; inserted: boolean }>`
    insert into customers as c (business_id, name, email, phone, tags, notes, date_of_birth, sex)
    select ${businessId}, r.name, r.email, r.phone, coalesce(r.tags, '{}'), r.notes, r.date_of_birth, r.sex
    from jsonb_to_recordset(${json(payload)}) as r(
      email text, name text, phone text, tags text[], notes text, date_of_birth date, sex text)
    on conflict (business_id, email) do update set
      name = excluded.name,
      phone = coalesce(excluded.phone, c.phone),
      tags = c.tags || ${newTags(sql`excluded.tags`)},
      notes = coalesce(excluded.notes, c.notes),
      date_of_birth = coalesce(excluded.date_of_birth, c.date_of_birth),
      sex = coalesce(excluded.sex, c.sex),
      last_updated_at = now()
    where ${changes('excluded')}
    returning c.id, c.email, (c.xmax = 0) as inserted
  `.execute(trx);
  const out = written.rows.map((row) => ({ id: Number(row.id), key: row.email, inserted: row.inserted }));
  if (out.length === rows.length) return out;
  const answered = new Set(out.map((row) => row.key));
  const unchanged = rows.flatMap((row) => (row.email && !answered.has(row.email) ? [row.email] : []));
  // One index probe per e-mail (the lateral `limit 1` keeps it a nested loop whatever the
  // statistics say right after a big import).
  const found = await sql<{ id: number; email: string }>`
    select c.id, e.email from unnest(${unchanged}::text[]) as e(email)
    cross join lateral (
      select id from customers where business_id = ${businessId} and email = e.email limit 1
    ) as c
  `.execute(trx);
  for (const row of found.rows) out.push({ id: Number(row.id), key: row.email, inserted: false });
  return out;
}

/** The tags of `tags` customer `c` does not have yet, compared ignoring case (as the business API does). */
function newTags(tags: RawBuilder<unknown>) {
  return sql<string[]>`array(
    select t from unnest(${tags}) as t
    where lower(t) not in (select lower(x) from unnest(c.tags) as x))`;
}

/** True when the row `r` (aliased) would change customer `c` under the import's update rules. */
function changes(r: string) {
  const row = sql.ref(r);
  return sql<boolean>`(
    c.name is distinct from ${row}.name
    or (${row}.phone is not null and ${row}.phone is distinct from c.phone)
    or cardinality(${newTags(sql`coalesce(${row}.tags, '{}')`)}) > 0
    or (${row}.notes is not null and ${row}.notes is distinct from c.notes)
    or (${row}.date_of_birth is not null and ${row}.date_of_birth is distinct from c.date_of_birth)
    or (${row}.sex is not null and ${row}.sex is distinct from c.sex))`;
}

/**
 * The business's customer for each phone key: the oldest one whose phone has those digits
 * (`+62 812-3456` and `+628123456` are one phone), whatever created it. The expression is the one
 * of the `customers_business_phone_key` index.
 */
export async function findByPhoneKeys(
  trx: Db,
  businessId: number,
  phoneKeys: string[],
): Promise<Map<string, number>> {
  if (phoneKeys.length === 0) return new Map();
  const key = sql<string>`regexp_replace(c.phone, '[^0-9+]', '', 'g')`;
  const result = await sql<{ key: string; id: number }>`
    select distinct on (${key}) ${key} as key, c.id
    from customers c
    where c.business_id = ${businessId} and c.phone is not null
      and ${key} = any(${phoneKeys}::text[])
    order by ${key}, c.id
  `.execute(trx);
  return new Map(result.rows.map((row) => [row.key, Number(row.id)]));
}

/** New customers for rows without an e-mail whose phone matched nobody. `rows` must not repeat a phone key. */
export async function insertByPhone(
  trx: Db,
  businessId: number,
  rows: CustomerImportRow[],
): Promise<WrittenCustomer[]> {
  if (rows.length === 0) return [];
  const payload = rows.map((row) => ({ key: row.phoneKey, ...customerFields(row) }));
  const result = await sql<{ id: number; key: string }>`
    with r as (
      select * from jsonb_to_recordset(${json(payload)}) as r(
        key text, name text, phone text, tags text[], notes text, date_of_birth date, sex text)
    ),
    inserted as (
      insert into customers (business_id, name, phone, tags, notes, date_of_birth, sex)
      select ${businessId}, r.name, r.phone, coalesce(r.tags, '{}'), r.notes, r.date_of_birth, r.sex from r
      returning id, phone
    )
    select inserted.id, r.key from inserted join r on r.phone = inserted.phone
  `.execute(trx);
  return result.rows.map((row) => ({ id: Number(row.id), key: row.key, inserted: true }));
}

/** Rows without an e-mail that matched a customer by phone: same update rules as `upsertByEmail`. */
export async function updateMatched(
  trx: Db,
  businessId: number,
  matches: { id: number; row: CustomerImportRow }[],
): Promise<void> {
  if (matches.length === 0) return;
  // The matched customer keeps the phone as it is written on their record.
  const payload = matches.map(({ id, row }) => ({ id, ...customerFields(row), phone: null }));
  await sql`
    update customers as c set
      name = r.name,
      tags = c.tags || ${newTags(sql`coalesce(r.tags, '{}')`)},
      notes = coalesce(r.notes, c.notes),
      date_of_birth = coalesce(r.date_of_birth, c.date_of_birth),
      sex = coalesce(r.sex, c.sex),
      last_updated_at = now()
    from jsonb_to_recordset(${json(payload)}) as r(
      id bigint, name text, phone text, tags text[], notes text, date_of_birth date, sex text)
    where c.id = r.id and c.business_id = ${businessId} and ${changes('r')}
  `.execute(trx);
}

/**
 * Each row's address, unless the customer already has the same one (a re-run adds nothing). The
 * first address a customer gets becomes their default.
 */
export async function addAddresses(
  trx: Db,
  businessId: number,
  entries: { customerId: number; row: CustomerImportRow }[],
): Promise<void> {
  const payload = new Map<string, Record<string, unknown>>();
  for (const { customerId, row } of entries) {
    if (!row.address) continue;
    const { address, postalCode, locationId } = row.address;
    const key = JSON.stringify([customerId, address, postalCode, locationId]);
    if (payload.has(key)) continue;
    payload.set(key, {
      ord: payload.size,
      customer_id: customerId,
      name: row.name,
      phone: row.phone,
      email: row.email,
      address,
      postal_code: postalCode,
      location_id: locationId,
    });
  }
  if (payload.size === 0) return;
  // Named as an array too, so the check reads these customers' addresses by index, not the table.
  const customerIds = [...new Set([...payload.values()].map((entry) => entry.customer_id))];
  await sql`
    insert into customer_addresses
      (business_id, customer_id, name, phone, email, location_id, address, postal_code, is_default)
    select ${businessId}, r.customer_id, r.name, r.phone, r.email, r.location_id, r.address, r.postal_code,
      row_number() over (partition by r.customer_id order by r.ord) = 1
        and not exists (select 1 from customer_addresses d where d.customer_id = r.customer_id and d.is_default)
    from jsonb_to_recordset(${json([...payload.values()])}) as r(
      ord integer, customer_id bigint, name text, phone text, email text, location_id integer, address text,
      postal_code text)
    where not exists (
      select 1 from customer_addresses a
      where a.customer_id = any(${customerIds}::bigint[])
        and a.customer_id = r.customer_id
        and a.address = r.address
        and a.postal_code is not distinct from r.postal_code
        and a.location_id is not distinct from r.location_id
    )
  `.execute(trx);
}
