import nodemailer, { type Transporter } from 'nodemailer';
import {
  MailDeliveryError,
  type MailReceipt,
  type MessagingProvider,
  type OutgoingMail,
} from './provider.ts';

export interface SmtpOptions {
  /** `smtp://user:pass@host:port` or `smtps://…`. */
  url: string;
  from: string;
  /** Connect, greeting and idle-socket limits in milliseconds (default 10 s / 10 s / 30 s). */
  timeouts?: { connectMs?: number; greetingMs?: number; socketMs?: number };
}

/** Error codes nodemailer uses for problems a retry cannot fix. */
const PERMANENT_CODES = new Set(['EENVELOPE', 'EMESSAGE', 'EAUTH', 'ECONFIG']);

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

function deliveryError(error: unknown): MailDeliveryError {
  const smtp = (error ?? {}) as SmtpError;
  const reply = smtp.responseCode ? ` (SMTP ${smtp.responseCode})` : '';
  const message = `SMTP delivery failed${reply}: ${smtp.response ?? smtp.message ?? String(error)}`;
  // The server's reply decides when there is one: 5xx is final, 4xx asks to try again later.
  // Without one, only a message or configuration nodemailer refused itself is hopeless.
  const permanent =
    smtp.responseCode !== undefined
      ? smtp.responseCode >= 500
      : smtp.code !== undefined && PERMANENT_CODES.has(smtp.code);
  return new MailDeliveryError(message, !permanent);
}

/** Sends through any SMTP server (STARTTLS when the server offers it) with nodemailer. */
export class SmtpMessaging implements MessagingProvider {
  readonly name = 'smtp' as const;
  readonly keepsDeliveredBodies = false;
  private readonly transporter: Transporter;

  constructor(options: SmtpOptions) {
    this.transporter = nodemailer.createTransport(
      {
        url: options.url,
        connectionTimeout: options.timeouts?.connectMs ?? 10_000,
        greetingTimeout: options.timeouts?.greetingMs ?? 10_000,
        socketTimeout: options.timeouts?.socketMs ?? 30_000,
      },
      { from: options.from },
    );
  }

  async send(mail: OutgoingMail, signal: AbortSignal): Promise<MailReceipt> {
    if (signal.aborted) throw new MailDeliveryError('delivery was aborted before it started', true);
    try {
      const info = await this.transporter.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html ? { html: mail.html } : {}),
        headers: { 'X-Nexus-Message-Id': String(mail.id) },
      });
      return { providerMessageId: String(info.messageId ?? '') };
    } catch (error) {
      throw deliveryError(error);
    }
  }

  close(): void {
    this.transporter.close();
  }
}
