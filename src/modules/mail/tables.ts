import type { ColumnType, Generated } from 'kysely';

export type MailStatus = 'queued' | 'sent' | 'failed';

/** The outbox: every e-mail, written with the change that causes it and delivered by the worker. */
export interface MailMessagesTable {
  id: Generated<number>;
  /** The business the message is sent for (null for platform mail). */
  business_id: number | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string | null;
  /** What the message is, e.g. `customer_login_otp`, `customer_password_reset`. */
  kind: string;
  status: Generated<MailStatus>;
  /** The provider that delivered (or last tried to deliver) it: `sandbox` or `smtp`. */
  provider: string | null;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The order the message is about, if any (`listOrderEmails`). */
  order_id: ColumnType<string | null, string | null | undefined, string | null>;
}

declare module '../../db/schema.ts' {
  interface DB {
    mail_messages: MailMessagesTable;
  }
}
