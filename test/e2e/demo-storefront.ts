import { randomInt } from 'node:crypto';
import { expect } from 'vitest';
import {
  type BannerDemo,
  expectResponsive,
  type SendOptions,
  type SocketResponse,
  type StartedServer,
  startServer,
} from '../helpers/server.ts';
import { type SmtpStub, startSmtpStub } from '../providers/smtp-stub.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CallOptions {
  token?: string | undefined;
  query?: Record<string, string | number>;
}

/**
 * A browser storefront written against the published contract, talking over a real socket to a
 * server started like `npm start`: it knows only what the start-up banner printed (the demo store's
 * unique_id, its publishable key and allowed origin; the business key for the merchant's side).
 * Every secret it sees go by (keys, guest and customer tokens, order slugs, signed URLs, reset
 * tokens, login codes) is noted, so the suite can prove none of them reached the server's logs.
 */
export interface StorefrontClient {
  server: StartedServer;
  demo: BannerDemo;
  call(method: Method, path: string, body?: unknown, options?: CallOptions): Promise<SocketResponse>;
  get(path: string, options?: CallOptions): Promise<SocketResponse>;
  post(path: string, body?: unknown, options?: CallOptions): Promise<SocketResponse>;
  /** Any path of the server, as this browser (its address headers are the caller's to send). */
  send(method: Method, path: string, options?: SendOptions): Promise<SocketResponse>;
  /** The merchant's side: the business API with the demo's secret key. */
  business(method: Method, path: string, body?: unknown): Promise<SocketResponse>;
  /** Sends to an absolute URL the server handed out (upload and file URLs), as `fetch` would. */
  fetch(
    method: Method,
    url: string,
    body?: Buffer,
    headers?: Record<string, string>,
  ): Promise<SocketResponse>;
  /** Notes a secret the journey learned another way (a reset token from an e-mail). */
  noteSecret(value: string): void;
  secrets(): string[];
}

/** Response fields whose values are credentials or carry one. */
const SECRET_FIELDS = new Set(['secret_slug', 'access', 'refresh', 'token', 'upload_url', 'file_url']);

function collectSecrets(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) for (const item of value) collectSecrets(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (SECRET_FIELDS.has(key) && typeof item === 'string' && item.length >= 16)
        noteSecretValue(item, into);
      else collectSecrets(item, into);
    }
  }
}

/** A URL's secret parts (its query values and its long path segments); any other value as is. */
function noteSecretValue(value: string, into: Set<string>): void {
  if (!/^https?:\/\//.test(value)) {
    into.add(value);
    return;
  }
  const url = new URL(value);
  for (const part of url.searchParams.values()) if (part.length >= 16) into.add(part);
  for (const segment of url.pathname.split('/')) if (segment.length >= 32) into.add(segment);
}

export function storefrontClient(server: StartedServer): StorefrontClient {
  const demo = server.demo;
  if (!demo) throw new Error('the server printed no demo credentials');
  const secrets = new Set<string>([demo.api_key, demo.storefront_api_key]);
  // One browser: the same origin and user agent for the whole journey, as a real visitor has.
  const browser = { origin: demo.allowed_origin, 'user-agent': `journey-browser-${randomInt(1_000_000)}` };
  const watch = (response: SocketResponse) => {
    const guest = response.headers['x-scalev-guest-token'];
    if (guest) secrets.add(guest);
    if (response.headers['content-type']?.includes('json') && response.body) {
      collectSecrets(response.json(), secrets);
    }
    return response;
  };
  const send: StorefrontClient['send'] = async (method, path, options = {}) =>
    watch(await server.send(method, path, options));
  const call: StorefrontClient['call'] = (method, path, body, options = {}) =>
    send(method, `/v3/stores/${demo.store_unique_id}/public${path}`, {
      ...(body !== undefined ? { body } : {}),
      ...(options.query ? { query: options.query } : {}),
      headers: {
        ...browser,
        'x-scalev-storefront-api-key': demo.storefront_api_key,
        ...(options.token ? { 'x-scalev-guest-token': options.token } : {}),
      },
    });
  return {
    server,
    demo,
    call,
    get: (path, options) => call('GET', path, undefined, options),
    post: (path, body, options) => call('POST', path, body, options),
    send,
    business: (method, path, body) =>
      send(method, path, {
        ...(body !== undefined ? { body } : {}),
        headers: { authorization: `Bearer ${demo.api_key}` },
      }),
    fetch: (method, url, body, headers = {}) =>
      send(method, url, { ...(body !== undefined ? { body } : {}), headers }),
    noteSecret: (value) => noteSecretValue(value, secrets),
    secrets: () => [...secrets],
  };
}

/** The e-mails the server's worker delivered to an SMTP server of the test's own. */
export interface Inbox {
  smtpUrl: string;
  /** The text of the newest message to `to` whose text matches `pattern`, waiting for the worker. */
  waitFor(to: string, pattern: RegExp, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** Quoted-printable (RFC 2045) soft line breaks and escapes, as nodemailer writes long text lines. */
function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

export async function startInbox(): Promise<Inbox> {
  const stub: SmtpStub = await startSmtpStub();
  return {
    smtpUrl: stub.url(),
    async waitFor(to, pattern, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = stub.received
          .filter((mail) => mail.to.includes(to))
          .map((mail) => decodeQuotedPrintable(mail.data))
          .reverse()
          .find((text) => pattern.test(text));
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no e-mail to ${to} matching ${pattern} arrived`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    close: () => stub.close(),
  };
}

/** The demo server of a journey suite: mail through the test's SMTP server, sandbox payments. */
export async function startJourneyServer(inbox?: Inbox): Promise<StartedServer> {
  return startServer({
    seedDemo: true,
    env: inbox ? { NEXUS_MAIL_DRIVER: 'smtp', NEXUS_SMTP_URL: inbox.smtpUrl } : {},
  });
}

/**
 * Ends a journey suite: the server still answers `/healthz` within a second, no secret the
 * journeys saw appears in any log line it wrote, and SIGTERM stops it cleanly.
 */
export async function finishJourney(shop: StorefrontClient): Promise<void> {
  await expectResponsive(shop.server);
  expect(await shop.server.stop()).toBe(0);
  const logs = shop.server
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{'));
  expect(logs.length).toBeGreaterThan(0);
  const leaked = shop
    .secrets()
    .filter((secret) => logs.some((line) => line.includes(secret)))
    .map((secret) => `${secret} in ${logs.find((line) => line.includes(secret))}`);
  expect(leaked).toEqual([]);
}
