import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import './tables.ts';

const MAX_ERROR_LENGTH = 2000;

export interface NewMail {
  business_id: number | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  order_id?: string | null;
  kind: string;
}

export async function insertMail(trx: Db, mail: NewMail): Promise<number> {
  const row = await trx.insertInto('mail_messages').values(mail).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export function findMail(db: Db, id: number) {
  return db
    .selectFrom('mail_messages')
    .select(['id', 'to_address', 'subject', 'text_body', 'html_body', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** What a delivered message's body becomes when the provider does not keep bodies. */
export const REMOVED_BODY = '[delivered; body removed]';

/**
 * Only a queued row becomes sent, so a delivery that raced a failure mark never flips it back.
 * `keepBody: false` removes the body (login codes, reset links) once it has left the system.
 */
export async function markSent(
  db: Db,
  id: number,
  provider: string,
  providerMessageId: string,
  keepBody: boolean,
) {
  await db
    .updateTable('mail_messages')
    .set({
      status: 'sent',
      provider,
      provider_message_id: providerMessageId,
      sent_at: sql<Date>`now()`,
      last_error: null,
      ...(keepBody ? {} : { text_body: REMOVED_BODY, html_body: null }),
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** `failed` ends the row; otherwise the error is kept while the job waits for its next attempt. */
export async function recordFailure(db: Db, id: number, provider: string, error: string, final: boolean) {
  await db
    .updateTable('mail_messages')
    .set({
      provider,
      last_error: error.slice(0, MAX_ERROR_LENGTH),
      ...(final ? { status: 'failed' as const } : {}),
    })
    .where('id', '=', id)
    .where('status', '=', 'queued')
    .execute();
}

/** Newest first, optionally only the messages to one address (compared case-insensitively). */
export function listMail(db: Db, filter: { to?: string | undefined; limit: number }) {
  let query = db
    .selectFrom('mail_messages')
    .select([
      'id',
      'business_id',
      'to_address',
      'subject',
      'text_body',
      'html_body',
      'kind',
      'status',
      'provider',
      'provider_message_id',
      'last_error',
      'created_at',
      'sent_at',
    ])
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.to) query = query.where('to_address', '=', filter.to.trim().toLowerCase());
  return query.execute();
}
export type MailRecord = Awaited<ReturnType<typeof listMail>>[number];
