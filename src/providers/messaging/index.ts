import type { MessagingConfig } from '../../config.ts';
import type { MessagingProvider } from './provider.ts';
import { SandboxMessaging } from './sandbox.ts';
import { SmtpMessaging } from './smtp.ts';

export type { MailReceipt, MessagingProvider, OutgoingMail } from './provider.ts';
export { MailDeliveryError } from './provider.ts';
export { SandboxMessaging } from './sandbox.ts';
export { SmtpMessaging } from './smtp.ts';

/** The provider the configuration selects: the sandbox outbox by default, SMTP when configured. */
export function createMessagingProvider(config: MessagingConfig): MessagingProvider {
  if (config.driver === 'sandbox') return new SandboxMessaging();
  if (!config.smtpUrl)
    throw new Error('Invalid configuration: NEXUS_SMTP_URL is required for the smtp driver');
  return new SmtpMessaging({ url: config.smtpUrl, from: config.from });
}
