import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestContext } from '../../helpers/app.ts';
import { authShop, closeApp, deliverMail, latestResetLink, probeApp } from './fixtures.ts';

let probe: TestContext;
beforeAll(async () => {
  probe = await probeApp();
});
afterAll(async () => {
  await closeApp(probe);
});

function postForm(url: string, fields: Record<string, string>) {
  return probe.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(fields).toString(),
  });
}

/** The hosted page behind reset links sent without a registered storefront origin. */
describe('hosted password reset page /s/{store_unique_id}/reset-password', () => {
  it('sets the new password from the e-mailed link, once', async () => {
    const shop = await authShop(probe);
    const customer = await shop.customer();
    expect((await shop.post('/forget-password', { email: customer.email })).statusCode).toBe(204);
    await deliverMail(probe);
    const { link, token } = await latestResetLink(probe, customer.email);
    const path = link.slice(probe.config.publicUrl.length);
    expect(path).toBe(`/s/${shop.tenant.store.unique_id}/reset-password?token=${token}`);

    const page = await probe.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain(`name="token" value="${token}"`);

    const formUrl = path.split('?')[0]!;
    const mismatch = await postForm(formUrl, {
      token,
      password: 'rahasia-baru-1',
      password_confirmation: 'lain',
    });
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('Kedua kata sandi tidak sama.');

    const saved = await postForm(formUrl, {
      token,
      password: 'rahasia-baru-1',
      password_confirmation: 'rahasia-baru-1',
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Kata sandi Anda sudah diganti');
    const login = await shop.post('/login', { email: customer.email, password: 'rahasia-baru-1' });
    expect(login.statusCode, login.body).toBe(200);

    const again = await postForm(formUrl, {
      token,
      password: 'rahasia-baru-2',
      password_confirmation: 'rahasia-baru-2',
    });
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain('tidak berlaku lagi');
  });

  it('answers the friendly 404 for an unknown store or a missing token', async () => {
    const shop = await authShop(probe);
    const noToken = await probe.app.inject({
      method: 'GET',
      url: `/s/${shop.tenant.store.unique_id}/reset-password`,
    });
    expect(noToken.statusCode).toBe(404);
    const unknown = await probe.app.inject({ method: 'GET', url: '/s/store_nope/reset-password?token=abc' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^text\/html/);
  });
});
