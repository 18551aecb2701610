import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.ts';
import type { Tenant } from '../../helpers/tenants.ts';

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  data: Buffer | string;
}

/** A multipart/form-data body written by hand, as a browser or curl -F would send it. */
export function multipart(parts: Part[]) {
  const boundary = `----NexusBoundary${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    const type = part.contentType ? `Content-Type: ${part.contentType}\r\n` : '';
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${type}\r\n`,
      ),
    );
    chunks.push(Buffer.isBuffer(part.data) ? part.data : Buffer.from(part.data));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

export const csvPart = (
  csv: string | Buffer,
  filename = 'customers.csv',
  contentType = 'text/csv',
): Part => ({
  name: 'file',
  filename,
  contentType,
  data: csv,
});

export function upload(tenant: Tenant, parts: Part[], key?: string) {
  const body = multipart(parts);
  return tenant.request('POST', '/v3/customers/upload', {
    body: body.payload,
    headers: { 'content-type': body.contentType },
    ...(key ? { key } : {}),
  });
}

/** Uploads `csv` and answers the report, failing the test on anything but 200. */
export async function importCsv(tenant: Tenant, csv: string) {
  const res = await upload(tenant, [csvPart(csv)]);
  if (res.statusCode !== 200) throw new Error(`upload answered ${res.statusCode}: ${res.body}`);
  return res.json() as {
    rows: number;
    created: number;
    updated: number;
    duplicates: number;
    failed: number;
    errors: { row: number; reasons: string[] }[];
  };
}

/** The business's customers, oldest first, with what the import writes. */
export function customersOf(db: Db, businessId: number) {
  return db
    .selectFrom('customers')
    .select(['id', 'name', 'email', 'phone', 'tags', 'notes', 'sex', 'store_id'])
    .select(sql<string | null>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('date_of_birth'))
    .where('business_id', '=', businessId)
    .orderBy('id')
    .execute();
}

export function addressesOf(db: Db, businessId: number) {
  return db
    .selectFrom('customer_addresses')
    .select(['customer_id', 'name', 'phone', 'email', 'address', 'postal_code', 'location_id', 'is_default'])
    .where('business_id', '=', businessId)
    .orderBy('id')
    .execute();
}
