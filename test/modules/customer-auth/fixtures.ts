import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { expect } from 'vitest';
import type { Config } from '../../../src/config.ts';
import { runJobsOnce } from '../../../src/jobs/worker.ts';
import { hashPassword } from '../../../src/lib/crypto.ts';
import { randomString } from '../../../src/lib/ids.ts';
import { customerAuthJobHandlers } from '../../../src/modules/customer-auth/jobs.ts';
import { upsertCustomerByEmail } from '../../../src/modules/customers/records.ts';
import { mailJobHandlers } from '../../../src/modules/mail/delivery.ts';
import { SandboxMessaging } from '../../../src/providers/messaging/sandbox.ts';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../../helpers/app.ts';
import { createTenant, randomIp, send, type Tenant } from '../../helpers/tenants.ts';

export const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** The route every customer route is like: `auth: ['customer']`; answers what the hook resolved. */
export const PROBE_PATH = '/__test/stores/{store_id}/customer-probe';

/**
 * A second app on the tests' database with one test-only customer route, so these tests do not
 * depend on the customer account routes another area implements.
 */
export async function probeApp(overrides: Partial<Config> = {}): Promise<TestContext> {
  const shared = await getTestContext();
  return buildTestApp(shared.database, testConfig(overrides), (app: FastifyInstance) => {
    app.get(
      PROBE_PATH.replace('{store_id}', ':store_id'),
      {
        config: {
          contract: {
            operationId: 'testCustomerProbe',
            method: 'GET',
            path: PROBE_PATH,
            auth: ['customer'],
            scope: undefined,
          },
        },
      },
      async (request) => ({ customer: request.auth.customer }),
    );
  });
}

export async function closeApp(ctx: TestContext | undefined): Promise<void> {
  if (!ctx) return;
  await ctx.app.close();
  await ctx.rateLimit.close();
}

export interface AuthShop {
  tenant: Tenant;
  ctx: TestContext;
  key: string;
  /** POSTs `/v3/stores/{store}/public/auth{path}` with the storefront key. */
  post(
    path: string,
    body: unknown,
    options?: { key?: string; storeUniqueId?: string; origin?: string; ip?: string },
  ): Promise<LightMyRequestResponse>;
  /** A customer of this business with a password of their own. */
  customer(options?: { password?: string | null; status?: string }): Promise<ShopCustomer>;
  setOtpRequired(required: boolean): Promise<void>;
  /** GETs the test-only customer route of `app` with a bearer access token. */
  probe(app: TestContext, access: string, storeUniqueId?: string): Promise<LightMyRequestResponse>;
}

export interface ShopCustomer {
  id: number;
  email: string;
  password: string;
}

/** A tenant with a storefront key, on `ctx` (the shared app unless given). */
export async function authShop(ctx?: TestContext): Promise<AuthShop> {
  const tenant = await createTenant('Toko Auth');
  const app = ctx ?? tenant.ctx;
  const created = await tenant.request('POST', `/v3/stores/${tenant.store.id}/public-api-keys`);
  expect(created.statusCode, created.body).toBe(200);
  const key: string = created.json().token;
  const db = tenant.ctx.database.db;
  return {
    tenant,
    ctx: app,
    key,
    post: (path, body, options = {}) =>
      send(app, 'POST', `/v3/stores/${options.storeUniqueId ?? tenant.store.unique_id}/public/auth${path}`, {
        body,
        remoteAddress: options.ip ?? randomIp(),
        headers: {
          'x-scalev-storefront-api-key': options.key ?? key,
          ...(options.origin ? { origin: options.origin } : {}),
        },
      }),
    async customer(options = {}) {
      const email = `buyer-${randomString(10).toLowerCase()}@example.test`;
      const password = `pw-${randomString(12)}`;
      const id = await db.transaction().execute((trx) =>
        upsertCustomerByEmail(trx, {
          businessId: tenant.business.id,
          storeId: tenant.store.id,
          name: 'Budi Pembeli',
          email,
          phone: null,
        }),
      );
      const passwordHash =
        options.password === null ? null : await hashPassword(options.password ?? password);
      await db
        .updateTable('customers')
        .set({
          password_hash: passwordHash,
          is_generated_password: passwordHash === null,
          status: options.status ?? 'active',
        })
        .where('id', '=', id)
        .execute();
      return { id, email, password: options.password ?? password };
    },
    async setOtpRequired(required) {
      const res = await tenant.request('PATCH', `/v3/stores/${tenant.store.id}`, {
        body: { is_customer_otp_required: required },
      });
      expect(res.statusCode, res.body).toBe(200);
    },
    probe: (probeCtx, access, storeUniqueId) =>
      send(probeCtx, 'GET', PROBE_PATH.replace('{store_id}', storeUniqueId ?? tenant.store.unique_id), {
        headers: { authorization: `Bearer ${access}` },
      }),
  };
}

/** Runs queued password-reset and mail jobs, delivering through the sandbox provider. */
export async function deliverMail(ctx: TestContext): Promise<void> {
  await runJobsOnce({
    db: ctx.database.db,
    handlers: { ...customerAuthJobHandlers(), ...mailJobHandlers({ provider: new SandboxMessaging() }) },
    logger: silentLogger,
  });
}

export async function mailsTo(ctx: TestContext, email: string) {
  return ctx.database.db
    .selectFrom('mail_messages')
    .selectAll()
    .where('to_address', '=', email)
    .orderBy('id', 'asc')
    .execute();
}

/** The 6-digit code of the newest login e-mail to `email`. */
export async function latestOtp(ctx: TestContext, email: string): Promise<string> {
  const mails = (await mailsTo(ctx, email)).filter((mail) => mail.kind === 'customer_login_otp');
  const last = mails.at(-1);
  const code = last?.text_body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no login code was e-mailed to ${email}`);
  return code;
}

/** The reset token of the newest reset e-mail to `email`, and the link it came in. */
export async function latestResetLink(
  ctx: TestContext,
  email: string,
): Promise<{ link: string; token: string }> {
  const mails = (await mailsTo(ctx, email)).filter((mail) => mail.kind === 'customer_password_reset');
  const link = mails.at(-1)?.text_body.match(/https?:\/\/\S+/)?.[0];
  if (!link) throw new Error(`no reset link was e-mailed to ${email}`);
  const token = new URL(link).searchParams.get('token');
  if (!token) throw new Error(`reset link without a token: ${link}`);
  return { link, token };
}

export const TOKEN_KEYS = [
  'access',
  'refresh',
  'token_type',
  'expires_in',
  'refresh_expires_in',
  'store_unique_id',
].sort();

export function expectTokens(res: LightMyRequestResponse, storeUniqueId: string) {
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json();
  expect(Object.keys(body).sort()).toEqual(TOKEN_KEYS);
  expect(body).toMatchObject({
    token_type: 'Bearer',
    expires_in: 900,
    refresh_expires_in: 2_592_000,
    store_unique_id: storeUniqueId,
  });
  return body as { access: string; refresh: string };
}

/** Makes the customer's current login code (or reset tokens) look older than their lifetime. */
export async function expireOtps(ctx: TestContext, customerId: number): Promise<void> {
  await ctx.database.db
    .updateTable('customer_otps')
    .set({ expires_at: sql<Date>`now() - interval '1 second'` })
    .where('customer_id', '=', customerId)
    .execute();
}
