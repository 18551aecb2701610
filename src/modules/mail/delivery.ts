import { type JobHandlers, PermanentJobError } from '../../jobs/worker.ts';
import { MailDeliveryError, type MessagingProvider } from '../../providers/messaging/provider.ts';
import * as q from './queries.ts';
import { MAIL_JOB, type MailJobPayload } from './service.ts';

function describe(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/**
 * The worker side of the outbox: hands a queued message to the provider and records the outcome.
 * A refusal retrying cannot fix, or the last attempt failing, marks the message `failed`; other
 * failures keep it queued (with the error) for the job's next attempt.
 */
export function mailJobHandlers(deps: { provider: MessagingProvider }): JobHandlers {
  return {
    [MAIL_JOB]: async (raw, { db, job, signal }) => {
      const { message_id: id } = raw as MailJobPayload;
      const mail = await q.findMail(db, id);
      if (mail?.status !== 'queued') return;
      const { provider } = deps;
      let receipt: Awaited<ReturnType<MessagingProvider['send']>>;
      try {
        receipt = await provider.send(
          {
            id: mail.id,
            to: mail.to_address,
            subject: mail.subject,
            text: mail.text_body,
            html: mail.html_body,
          },
          signal,
        );
      } catch (error) {
        const permanent = error instanceof MailDeliveryError && !error.retryable;
        const final = permanent || job.attempts >= job.max_attempts;
        await q.recordFailure(db, id, provider.name, describe(error), final);
        throw permanent ? new PermanentJobError(describe(error)) : error;
      }
      await q.markSent(db, id, provider.name, receipt.providerMessageId, provider.keepsDeliveredBodies);
    },
  };
}
