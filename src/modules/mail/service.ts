import type { Db } from '../../db/database.ts';
import { enqueueJob } from '../../jobs/queue.ts';
import * as q from './queries.ts';

export const MAIL_JOB = 'mail.deliver';

export interface MailJobPayload {
  message_id: number;
}

export interface MailInput {
  businessId: number | null;
  to: string;
  subject: string;
  text: string;
  html?: string | null;
  /** What the message is, for the operator: `customer_login_otp`, `customer_password_reset`, … */
  kind: string;
  /** The order the message is about (`listOrderEmails` lists it there). */
  orderId?: string | null;
  /**
   * Delivery attempts before the message is marked failed (default 8, about 40 minutes of
   * backoff). Short-lived content (a 10-minute login code) should give up sooner.
   */
  maxAttempts?: number;
}

/**
 * Puts an e-mail in the outbox and queues its delivery. Pass the transaction that makes the change
 * the e-mail is about: the message exists exactly when that change commits.
 */
export async function enqueueMail(trx: Db, mail: MailInput): Promise<number> {
  const id = await q.insertMail(trx, {
    business_id: mail.businessId,
    to_address: mail.to.trim().toLowerCase(),
    subject: mail.subject,
    text_body: mail.text,
    html_body: mail.html ?? null,
    kind: mail.kind,
    order_id: mail.orderId ?? null,
  });
  const payload: MailJobPayload = { message_id: id };
  await enqueueJob(
    trx,
    MAIL_JOB,
    payload,
    undefined,
    mail.maxAttempts ? { maxAttempts: mail.maxAttempts } : {},
  );
  return id;
}
