import type { MailReceipt, MessagingProvider, OutgoingMail } from './provider.ts';

/**
 * Delivers nothing: the outbox row is the message, and marking it sent is all there is to do. The
 * operator reads what would have gone out with `nexus mail list`; tests read `mail_messages`.
 */
export class SandboxMessaging implements MessagingProvider {
  readonly name = 'sandbox' as const;
  readonly keepsDeliveredBodies = true;

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    return { providerMessageId: `sandbox-${mail.id}` };
  }

  close(): void {}
}
