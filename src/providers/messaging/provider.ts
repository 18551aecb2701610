/** One e-mail as the outbox holds it, handed to a provider for delivery. */
export interface OutgoingMail {
  /** The outbox row (`mail_messages.id`); adapters may use it to make delivery idempotent. */
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string | null;
}

export interface MailReceipt {
  /** What the provider calls the message (the SMTP Message-ID; `sandbox-<id>` in the sandbox). */
  providerMessageId: string;
}

/**
 * Where e-mail leaves the system. The worker calls `send` for each queued outbox row and records
 * the receipt; a thrown `MailDeliveryError` says whether trying again can help.
 */
export interface MessagingProvider {
  readonly name: 'sandbox' | 'smtp';
  /**
   * Whether the outbox keeps a delivered message's body. The sandbox's outbox *is* the delivery
   * (the operator reads codes and links there); after a real delivery the body, which holds login
   * codes and reset links, is removed so the database does not keep live secrets.
   */
  readonly keepsDeliveredBodies: boolean;
  send(mail: OutgoingMail, signal: AbortSignal): Promise<MailReceipt>;
  close(): void;
}

export class MailDeliveryError extends Error {
  constructor(
    message: string,
    /** False when the server refused the message for good (bad address, rejected content). */
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
