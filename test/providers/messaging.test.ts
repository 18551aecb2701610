import net from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, messagingConfig } from '../../src/config.ts';
import { defaultJobHandlers } from '../../src/jobs/handlers.ts';
import type { ClaimedJob } from '../../src/jobs/queue.ts';
import { PermanentJobError } from '../../src/jobs/worker.ts';
import { mailJobHandlers } from '../../src/modules/mail/delivery.ts';
import { REMOVED_BODY } from '../../src/modules/mail/queries.ts';
import { enqueueMail, MAIL_JOB } from '../../src/modules/mail/service.ts';
import {
  createMessagingProvider,
  MailDeliveryError,
  type MessagingProvider,
  SandboxMessaging,
  SmtpMessaging,
} from '../../src/providers/messaging/index.ts';
import { getTestContext } from '../helpers/app.ts';
import { type SmtpStub, startSmtpStub } from './smtp-stub.ts';

let stub: SmtpStub;
beforeAll(async () => {
  stub = await startSmtpStub();
});
afterAll(async () => {
  await stub.close();
});
beforeEach(() => {
  stub.received.length = 0;
  stub.rcptReply = '250 2.1.5 OK';
});

const FROM = 'Toko Nexus <no-reply@nexus.test>';
const quick = { connectMs: 2000, greetingMs: 2000, socketMs: 2000 };
const mail = {
  id: 41,
  to: 'budi@example.test',
  subject: 'Kode masuk Anda: 123456',
  text: 'Kode masuk Anda di Toko: 123456',
  html: '<p>Kode masuk Anda: <b>123456</b></p>',
};

function smtp(credentials?: string): SmtpMessaging {
  return new SmtpMessaging({ url: stub.url(credentials), from: FROM, timeouts: quick });
}

async function deliveryError(provider: MessagingProvider): Promise<MailDeliveryError> {
  const error = await provider.send(mail, new AbortController().signal).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(MailDeliveryError);
  return error as MailDeliveryError;
}

describe('SMTP adapter (against a local stub server)', () => {
  it('sends the text and HTML parts with the configured From, authenticating from the URL', async () => {
    const provider = smtp('mailer:s3cret');
    const receipt = await provider.send(mail, new AbortController().signal);
    provider.close();
    expect(receipt.providerMessageId).toMatch(/^<.+@.+>$/);
    expect(stub.received).toHaveLength(1);
    const [received] = stub.received;
    expect(received).toMatchObject({
      from: 'no-reply@nexus.test',
      to: ['budi@example.test'],
      auth: 'mailer:s3cret',
    });
    const data = received?.data ?? '';
    expect(data).toMatch(/^From: Toko Nexus <no-reply@nexus\.test>\r?$/m);
    expect(data).toMatch(/^To: budi@example\.test\r?$/m);
    expect(data).toMatch(/^Subject: Kode masuk Anda: 123456\r?$/m);
    expect(data).toMatch(/^X-Nexus-Message-Id: 41\r?$/im);
    expect(data).toContain(`Message-ID: ${receipt.providerMessageId}`);
    expect(data).toContain('multipart/alternative');
    expect(data).toContain('Kode masuk Anda di Toko: 123456');
    expect(data).toContain('<b>123456</b>');
  });

  it('reports a 5xx refusal as permanent and a 4xx one as worth retrying', async () => {
    stub.rcptReply = '550 5.1.1 No such user here';
    const refused = await deliveryError(smtp());
    expect(refused.retryable).toBe(false);
    expect(refused.message).toContain('550');

    stub.rcptReply = '451 4.3.0 Mailbox temporarily unavailable';
    const deferred = await deliveryError(smtp());
    expect(deferred.retryable).toBe(true);
    expect(deferred.message).toContain('451');
    expect(stub.received).toHaveLength(0);
  });

  it('treats an unreachable server as a retryable failure', async () => {
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const provider = new SmtpMessaging({ url: `smtp://127.0.0.1:${port}`, from: FROM, timeouts: quick });
    expect((await deliveryError(provider)).retryable).toBe(true);
  });
});

describe('the mail job', () => {
  function claimed(messageId: number, attempts = 1, maxAttempts = 8): ClaimedJob {
    return { id: 1, kind: MAIL_JOB, payload: { message_id: messageId }, attempts, max_attempts: maxAttempts };
  }

  async function queue(to: string): Promise<{ id: number; jobs: number }> {
    const { db } = (await getTestContext()).database;
    const id = await db.transaction().execute((trx) =>
      enqueueMail(trx, {
        businessId: null,
        to: to.toUpperCase(),
        subject: 'Halo',
        text: 'Isi',
        kind: 'test_mail',
      }),
    );
    const jobs = await db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', MAIL_JOB)
      .where('payload', '@>', JSON.stringify({ message_id: id }) as never)
      .execute();
    return { id, jobs: jobs.length };
  }

  async function run(provider: MessagingProvider, messageId: number, attempts = 1, maxAttempts = 8) {
    const ctx = await getTestContext();
    const handler = mailJobHandlers({ provider })[MAIL_JOB];
    if (!handler) throw new Error('no mail handler');
    const logger = { info: () => {}, warn: () => {}, error: () => {} };
    return handler(
      { message_id: messageId },
      {
        job: claimed(messageId, attempts, maxAttempts),
        db: ctx.database.db,
        signal: new AbortController().signal,
        logger,
      },
    );
  }

  async function row(id: number) {
    const { db } = (await getTestContext()).database;
    return db.selectFrom('mail_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  it('writes the outbox row and its job together, and delivers through SMTP once', async () => {
    const { id, jobs } = await queue('Siti@Example.test');
    expect(jobs).toBe(1);
    expect(await row(id)).toMatchObject({
      status: 'queued',
      to_address: 'siti@example.test',
      provider: null,
    });
    await run(smtp(), id);
    const sent = await row(id);
    expect(sent).toMatchObject({ status: 'sent', provider: 'smtp', last_error: null });
    expect(sent.provider_message_id).toMatch(/^<.+>$/);
    // Once delivered for real, the body (login codes, reset links) is not kept in the database.
    expect(sent).toMatchObject({ text_body: REMOVED_BODY, html_body: null });
    expect(sent.sent_at).toBeInstanceOf(Date);
    await run(smtp(), id);
    expect(stub.received).toHaveLength(1);
  });

  it('the sandbox marks the message sent without delivering anything', async () => {
    const { id } = await queue('sandbox-only@example.test');
    await run(new SandboxMessaging(), id);
    expect(await row(id)).toMatchObject({
      status: 'sent',
      provider: 'sandbox',
      provider_message_id: `sandbox-${id}`,
    });
    // The sandbox outbox is where the operator reads the message: its body stays.
    expect((await row(id)).text_body).not.toBe(REMOVED_BODY);
    expect(stub.received).toHaveLength(0);
  });

  it('fails the message for good on a permanent refusal', async () => {
    const { id } = await queue('gone@example.test');
    stub.rcptReply = '550 5.1.1 No such user here';
    await expect(run(smtp(), id)).rejects.toBeInstanceOf(PermanentJobError);
    const failed = await row(id);
    expect(failed.status).toBe('failed');
    expect(failed.last_error).toContain('550');
  });

  it('keeps a deferred message queued for the retry, and fails it on the last attempt', async () => {
    const { id } = await queue('later@example.test');
    stub.rcptReply = '451 4.3.0 Try again later';
    const error = await run(smtp(), id, 1, 3).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(MailDeliveryError);
    expect(error).not.toBeInstanceOf(PermanentJobError);
    expect(await row(id)).toMatchObject({ status: 'queued', provider: 'smtp' });
    expect((await row(id)).last_error).toContain('451');

    await expect(run(smtp(), id, 3, 3)).rejects.toBeInstanceOf(MailDeliveryError);
    expect((await row(id)).status).toBe('failed');

    stub.rcptReply = '250 2.1.5 OK';
    await run(smtp(), id);
    expect((await row(id)).status).toBe('failed');
    expect(stub.received).toHaveLength(0);
  });
});

describe('messaging configuration', () => {
  it('the server’s worker runs the mail and password-reset jobs', async () => {
    const { keys } = await getTestContext();
    const handlers = defaultJobHandlers({ keys, env: {} });
    expect(Object.keys(handlers)).toEqual(expect.arrayContaining([MAIL_JOB, 'customer_auth.password_reset']));
    expect(() => defaultJobHandlers({ keys, env: { NEXUS_MAIL_DRIVER: 'smtp' } })).toThrow(ConfigError);
  });

  it('defaults to the sandbox with a From on the public host', () => {
    const config = loadConfig({ NEXUS_PUBLIC_URL: 'https://shop.example.test' });
    expect(config.messaging).toEqual({
      driver: 'sandbox',
      smtpUrl: undefined,
      from: 'no-reply@shop.example.test',
    });
    expect(createMessagingProvider(config.messaging)).toBeInstanceOf(SandboxMessaging);
  });

  it('selects SMTP when configured', () => {
    const config = messagingConfig({
      NEXUS_MAIL_DRIVER: 'smtp',
      NEXUS_SMTP_URL: 'smtps://user:pass@smtp.example.test:465',
      NEXUS_MAIL_FROM: 'Toko <halo@example.test>',
    });
    expect(config).toEqual({
      driver: 'smtp',
      smtpUrl: 'smtps://user:pass@smtp.example.test:465',
      from: 'Toko <halo@example.test>',
    });
    const provider = createMessagingProvider(config);
    expect(provider).toBeInstanceOf(SmtpMessaging);
    provider.close();
  });

  it('fails fast with a readable message on bad settings', () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ NEXUS_MAIL_DRIVER: 'postal' }, 'NEXUS_MAIL_DRIVER'],
      [{ NEXUS_MAIL_DRIVER: 'smtp' }, 'NEXUS_SMTP_URL'],
      [{ NEXUS_MAIL_DRIVER: 'smtp', NEXUS_SMTP_URL: 'http://smtp.example.test' }, 'NEXUS_SMTP_URL'],
      [{ NEXUS_MAIL_FROM: 'not an address' }, 'NEXUS_MAIL_FROM'],
      [{ NEXUS_MAIL_FROM: 'Evil\r\nBcc: x@example.test <a@example.test>' }, 'NEXUS_MAIL_FROM'],
    ];
    for (const [env, setting] of cases) {
      let error: unknown;
      try {
        messagingConfig(env);
      } catch (err) {
        error = err;
      }
      expect(error, JSON.stringify(env)).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).setting).toBe(setting);
    }
  });
});
