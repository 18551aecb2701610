import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { expectResponsive, type StartedServer, startServer } from '../helpers/server.ts';

/**
 * Issue 11: `nexus` commands run beside the server started as `npm start` starts it, without
 * stopping it. On the embedded database the server owns PGlite's files and serves them on a Unix
 * socket in the data directory (recorded in the data-directory lock); commands connect there. On
 * PostgreSQL runs the same commands simply share the database.
 */

const embedded = inject('serverTemplate').kind === 'pglite';

// biome-ignore lint/suspicious/noExplicitAny: JSON bodies as the assertions read them.
type Json = any;

let server: StartedServer;

beforeAll(async () => {
  server = await startServer({ seedDemo: true });
  expect(server.child.exitCode, server.stderr()).toBeNull();
  expect(server.demo).not.toBeNull();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

function storefront(method: string, suffix: string, body?: unknown) {
  const demo = server.demo!;
  return server.send(method, `/v3/stores/${demo.store_unique_id}/public${suffix}`, {
    headers: { 'x-scalev-storefront-api-key': demo.storefront_api_key },
    ...(body === undefined ? {} : { body }),
  });
}

async function nexusJson(argv: string[]): Promise<Json> {
  const run = await server.command([...argv, '--json']);
  expect(run.code, `nexus ${argv.join(' ')}: ${run.stderr}`).toBe(0);
  return JSON.parse(run.stdout);
}

/** A digital-only order (no shipping) paid by virtual account, with its sandbox payment created. */
async function placeOrder(email: string): Promise<Json> {
  const products = await server.send('GET', '/v3/products', {
    headers: { authorization: `Bearer ${server.demo!.api_key}` },
  });
  const ebook = products.json().data.find((product: Json) => product.item_type === 'digital');
  const placed = await storefront('POST', '/checkout', {
    items: [{ type: 'variant', variant_id: ebook.variants[0].id, quantity: 1 }],
    customer_name: 'Rina Beside',
    customer_email: email,
    customer_phone: '081234567890',
    payment_method: 'va',
    sub_payment_method: 'BNI',
  });
  expect(placed.statusCode, placed.body).toBe(201);
  const order = placed.json();
  const payment = await storefront('POST', `/orders/${order.secret_slug}/payment`);
  expect(payment.statusCode, payment.body).toBe(200);
  return order;
}

describe('nexus commands beside the running server', () => {
  it('serves the embedded database on a private socket recorded in the lock', () => {
    if (!embedded) return;
    const lock = JSON.parse(fs.readFileSync(path.join(server.dataDir, 'pglite', 'nexus.lock'), 'utf8'));
    expect(lock).toMatchObject({ pid: server.child.pid, role: 'server' });
    expect(lock.socket).toBe(path.join(server.dataDir, 'socket', '.s.PGSQL.5432'));
    expect(fs.statSync(lock.socket).isSocket()).toBe(true);
    expect(fs.statSync(lock.socket).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(lock.socket)).mode & 0o777).toBe(0o700);
    const ready = server.logs().find((line) => line.msg === 'Nexus is ready');
    expect(ready?.database_socket).toBe(lock.socket);
  });

  it('mints an API key the running server accepts at once', async () => {
    const created = await nexusJson(['api-key', 'create', '--business', server.demo!.business_unique_id]);
    expect(created.api_key).toMatch(/^sk_/);
    const me = await server.send('GET', '/v3/me', {
      headers: { authorization: `Bearer ${created.api_key}` },
    });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().business.unique_id).toBe(server.demo!.business_unique_id);
  });

  it("simulates the gateway's payment of an order the server took, and the server shows it paid", async () => {
    const order = await placeOrder(`paid-${Date.now()}@example.test`);
    const simulated = await nexusJson(['payments', 'simulate', '--order', order.order_id, '--paid']);
    expect(simulated.order).toMatchObject({ order_id: order.order_id, payment_status: 'paid' });
    const read = await storefront('GET', `/orders/${order.secret_slug}`);
    expect(read.json()).toMatchObject({ payment_status: 'paid' });
  });

  it("lists the e-mail the server's worker wrote", async () => {
    const email = `reset-${Date.now()}@example.test`;
    await placeOrder(email);
    const reset = await storefront('POST', '/auth/forget-password', { email });
    expect(reset.statusCode, reset.body).toBe(204);
    let messages: Json[] = [];
    for (let attempt = 0; attempt < 40 && messages.length === 0; attempt++) {
      messages = (await nexusJson(['mail', 'list', '--to', email])).messages;
      if (messages.length === 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(messages).toEqual([
      expect.objectContaining({ kind: 'customer_password_reset', to_address: email }),
    ]);
  });

  it('runs commands and API requests at the same time without mixing their transactions', async () => {
    const auth = { authorization: `Bearer ${server.demo!.api_key}` };
    const [keys, ...answers] = await Promise.all([
      Promise.all(
        [1, 2, 3].map(() => nexusJson(['api-key', 'create', '--business', server.demo!.business_unique_id])),
      ),
      ...Array.from({ length: 20 }, () => server.send('GET', '/v3/products', { headers: auth })),
    ]);
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(20).fill(200));
    for (const key of keys) {
      const me = await server.send('GET', '/v3/me', { headers: { authorization: `Bearer ${key.api_key}` } });
      expect(me.statusCode).toBe(200);
    }
    await expectResponsive(server);
  });

  it('keeps the socket private and removes it when the server stops', async () => {
    const listed = await server.command(['api-key', 'list', '--business', server.demo!.business_unique_id]);
    expect(listed.code, listed.stderr).toBe(0);
    if (!embedded) return;
    const socket = path.join(server.dataDir, 'socket', '.s.PGSQL.5432');
    expect(await server.stop({ keepDatabase: true })).toBe(0);
    expect(fs.existsSync(socket)).toBe(false);
    expect(fs.existsSync(path.join(server.dataDir, 'pglite', 'nexus.lock'))).toBe(false);
    // With no server holding the files, a command opens them itself.
    const alone = await server.command(['mail', 'list', '--json']);
    expect(alone.code, alone.stderr).toBe(0);
    expect(JSON.parse(alone.stdout).messages.length).toBeGreaterThan(0);
    await server.removeDatabase();
  });
});
