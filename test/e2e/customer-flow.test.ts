import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketResponse } from '../helpers/server.ts';
import {
  finishJourney,
  type Inbox,
  type StorefrontClient,
  startInbox,
  startJourneyServer,
  storefrontClient,
} from './demo-storefront.ts';

/**
 * Issue 5 acceptance: the storefront journey of issue 4, signed in, on the demo seed and through the
 * public HTTP API only. A guest buys, gets an account through the password-reset e-mail, signs in
 * (password-only store, then OTP store), merges a guest cart, checks out from the customer cart,
 * lists the order, refreshes and blacklists. Over a real socket to a server started like
 * `npm start`, whose own worker delivers the e-mails to the test's SMTP server (issue 10); its logs
 * must hold none of the tokens, codes and links the journey handled.
 */

let shop: StorefrontClient;
let inbox: Inbox;
beforeAll(async () => {
  inbox = await startInbox();
  shop = storefrontClient(await startJourneyServer(inbox));
});
afterAll(async () => {
  await finishJourney(shop);
  await inbox.close();
});

/** The reset token of the newest reset e-mail to `email`, and its link, as the worker sent it. */
async function resetLink(email: string): Promise<{ link: string; token: string }> {
  const text = await inbox.waitFor(email, /reset-password\?token=/);
  const link = text.match(/https?:\/\/\S+reset-password\?token=[^\s"<]+/)![0];
  const token = new URL(link).searchParams.get('token')!;
  shop.noteSecret(token);
  return { link, token };
}

/** The 6-digit code of the newest login e-mail to `email`. */
async function loginCode(email: string): Promise<string> {
  const text = await inbox.waitFor(email, /Kode masuk Anda di [^:\n]+: \d{6}/);
  const code = text.match(/Kode masuk Anda di [^:\n]+: (\d{6})/)![1]!;
  shop.noteSecret(code);
  return code;
}

function ok(response: SocketResponse, status = 200) {
  expect(response.statusCode, `${response.statusCode} ${response.body}`).toBe(status);
  return response.statusCode === 204 ? null : response.json();
}

type Json = ReturnType<typeof ok>;

async function bandung() {
  const found = ok(await shop.get('/locations', { query: { search: 'coblong bandung' } }));
  const location = found.data.find((entry: Json) => entry.city_name === 'Kota Bandung');
  const codes = ok(await shop.get(`/locations/${location.id}/postal-codes`));
  return { location_id: location.id as number, postal_code: codes.data[0].postal_code as string };
}

/** Calls `/v3/stores/{store}/customers/me…` with the customer's access token, as a signed-in storefront. */
function me(access: string) {
  return (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
    shop.send(method, `/v3/stores/${shop.demo.store_unique_id}/customers/me${path}`, {
      ...(body !== undefined ? { body } : {}),
      headers: { authorization: `Bearer ${access}`, origin: shop.demo.allowed_origin },
    });
}

async function variantIdOf(name: string): Promise<number> {
  const items = ok(await shop.get('/items', { query: { page_size: 25, entity_type: 'product' } }));
  const item = items.data.find((entry: Json) => entry.name === name);
  const product = ok(await shop.get(`/products/${encodeURIComponent(item.slug)}`));
  return product.variants[0].id;
}

describe('storefront end to end, signed in', () => {
  it('turns a guest buyer into a customer who signs in, merges a cart, checks out and manages tokens', async () => {
    const email = `sari-${shop.demo.store_unique_id.toLowerCase()}@example.test`;
    const destination = await bandung();
    const shirt = await variantIdOf('Kaos Polos Premium Cotton Combed 30s');
    const ebook = await variantIdOf('E-book Jualan Online');

    // 1. A guest checkout creates the business's customer for this e-mail.
    const guestOrder = ok(
      await shop.post('/checkout', {
        items: [{ type: 'variant', variant_id: ebook, quantity: 1 }],
        customer_name: 'Sari Wulandari',
        customer_email: email,
        payment_method: 'bank_transfer',
      }),
      201,
    );

    // 2. The customer sets a password through the reset e-mail, whose link points at the storefront.
    ok(await shop.post('/auth/forget-password', { email }), 204);
    const { link, token: resetToken } = await resetLink(email);
    expect(link.startsWith(`${shop.demo.allowed_origin}/reset-password?token=`)).toBe(true);
    // The same token opens Nexus's hosted reset page too (stores without a storefront of their own),
    // and the guest's order page opens by its secret slug: URLs that carry their secret.
    const hosted = await shop.send(
      'GET',
      `/s/${shop.demo.store_unique_id}/reset-password?token=${encodeURIComponent(resetToken)}`,
    );
    expect(hosted.statusCode).toBe(200);
    expect(hosted.body).toContain(resetToken);
    expect(ok(await shop.get(`/orders/${guestOrder.secret_slug}`)).id).toBe(guestOrder.id);
    ok(await shop.post('/auth/save-password', { token: resetToken, password: 'rahasia-sari-1' }), 204);

    // 3. Password-only store: login answers tokens directly.
    const tokens = ok(await shop.post('/auth/login', { email, password: 'rahasia-sari-1' }));
    expect(tokens).toMatchObject({ token_type: 'Bearer', store_unique_id: shop.demo.store_unique_id });
    let call = me(tokens.access);
    const profile = ok(await call('GET', ''));
    expect(profile.customer).toMatchObject({ email, name: 'Sari Wulandari' });
    expect(profile.is_generated_password_reset).toBe(false);

    // 4. A guest cart filled before signing in is merged into the customer's cart.
    const added = await shop.post('/cart/items', { type: 'variant', variant_id: shirt, quantity: 1 });
    ok(added, 201);
    const cartToken = String(added.headers['x-scalev-guest-token']);
    const merged = ok(
      await shop.send('POST', `/v3/stores/${shop.demo.store_unique_id}/public/cart/merge`, {
        headers: {
          authorization: `Bearer ${tokens.access}`,
          'x-scalev-storefront-api-key': shop.demo.storefront_api_key,
          'x-scalev-guest-token': cartToken,
          origin: shop.demo.allowed_origin,
        },
      }),
    );
    expect(merged.items).toHaveLength(1);
    expect(merged.items[0].quantity).toBe(1);
    ok(await call('POST', '/cart/items', { type: 'variant', variant_id: shirt, quantity: 1 }), 201);
    expect(ok(await call('GET', '/cart')).items[0].quantity).toBe(2);
    // The guest cart is gone: the token opens a new, empty cart.
    expect(ok(await shop.get('/cart', { token: cartToken })).items).toEqual([]);

    // 5. Check out from the customer cart, to a saved address.
    const address = ok(
      await call('POST', '/addresses', {
        name: 'Sari Wulandari',
        phone: '081298765432',
        address: 'Jl. Ir. H. Juanda No. 99',
        ...destination,
      }),
    );
    const options = ok(
      await call('POST', '/checkout/shipping-options', { address_id: address.id, payment_method: 'cod' }),
    );
    const jne = options.data.find((option: Json) => option.courier_code === 'jne') ?? options.data[0];
    const selection = {
      address_id: address.id,
      payment_method: 'cod',
      courier_service_id: jne.courier_service_id,
    };
    const summary = ok(await call('POST', '/checkout/summary', selection));
    const order = ok(await call('POST', '/checkout', selection), 201);
    expect(order.gross_revenue).toBe(summary.gross_revenue);
    expect(order.shipping_cost).toBe(jne.cost);
    expect(ok(await call('GET', '/cart')).items).toEqual([]);

    // 6. The customer's orders: both, the guest one included (same customer record), newest first.
    const orders = ok(await call('GET', '/orders'));
    expect(orders.data.map((entry: Json) => entry.secret_slug)).toEqual([
      order.secret_slug,
      guestOrder.secret_slug,
    ]);
    expect(ok(await call('GET', `/orders/${order.id}`)).secret_slug).toBe(order.secret_slug);

    // 7. Refresh rotates; the old refresh token is then refused and its family revoked.
    const rotated = ok(await shop.post('/auth/jwt/refresh', { refresh: tokens.refresh }));
    expect(rotated.refresh).not.toBe(tokens.refresh);
    expect((await shop.post('/auth/jwt/refresh', { refresh: tokens.refresh })).statusCode).toBe(401);
    expect((await shop.post('/auth/jwt/refresh', { refresh: rotated.refresh })).statusCode).toBe(401);

    // 8. Blacklist: a fresh session's access token stops working at once.
    const again = ok(await shop.post('/auth/login', { email, password: 'rahasia-sari-1' }));
    call = me(again.access);
    ok(await call('GET', ''));
    ok(await shop.post('/auth/jwt/blacklist', { tokens: [again.access, again.refresh] }), 204);
    expect((await call('GET', '')).statusCode).toBe(401);
    expect((await shop.post('/auth/jwt/refresh', { refresh: again.refresh })).statusCode).toBe(401);
  });

  it('signs in with an e-mailed code when the store asks for one', async () => {
    const email = `otp-${shop.demo.store_unique_id.toLowerCase()}@example.test`;
    ok(
      await shop.post('/checkout', {
        items: [{ type: 'variant', variant_id: await variantIdOf('E-book Jualan Online'), quantity: 1 }],
        customer_name: 'Budi',
        customer_email: email,
        payment_method: 'bank_transfer',
      }),
      201,
    );
    ok(await shop.post('/auth/forget-password', { email }), 204);
    const { token } = await resetLink(email);
    ok(await shop.post('/auth/save-password', { token, password: 'rahasia-budi-1' }), 204);

    ok(await shop.business('PATCH', `/v3/stores/${shop.demo.store_id}`, { is_customer_otp_required: true }));
    try {
      const started = ok(await shop.post('/auth/login', { email, password: 'rahasia-budi-1' }));
      expect(started).toEqual({ message: 'If this email exists in our system, an OTP has been sent to it.' });
      const otp = await loginCode(email);
      const tokens = ok(await shop.post('/auth/otp/verify', { email, otp }));
      expect(tokens.store_unique_id).toBe(shop.demo.store_unique_id);
      expect(ok(await me(tokens.access)('GET', '')).customer.email).toBe(email);
    } finally {
      // The suite's other journey signs in with a password on this same store.
      ok(
        await shop.business('PATCH', `/v3/stores/${shop.demo.store_id}`, { is_customer_otp_required: false }),
      );
    }
  });
});
