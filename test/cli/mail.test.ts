import { describe, expect, it } from 'vitest';
import { randomString } from '../../src/lib/ids.ts';
import { enqueueMail } from '../../src/modules/mail/service.ts';
import { getTestContext } from '../helpers/app.ts';
import { nexus } from '../helpers/cli.ts';
import { authShop, deliverMail, latestOtp } from '../modules/customer-auth/fixtures.ts';

async function queueMail(to: string, subject: string, text: string): Promise<number> {
  const { db } = (await getTestContext()).database;
  return db
    .transaction()
    .execute((trx) => enqueueMail(trx, { businessId: null, to, subject, text, kind: 'test_mail' }));
}

describe('nexus mail list', () => {
  it('shows a customer’s login code as the sandbox “sent” it', async () => {
    const shop = await authShop();
    await shop.setOtpRequired(true);
    const customer = await shop.customer();
    expect((await shop.post('/login', customer)).statusCode).toBe(200);
    const queued = await nexus('mail', 'list', '--to', customer.email.toUpperCase());
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stdout).toContain('queued');
    await deliverMail(shop.ctx);
    const otp = await latestOtp(shop.ctx, customer.email);

    const res = await nexus('mail', 'list', '--to', customer.email);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`To:      ${customer.email}`);
    expect(res.stdout).toContain('sent via sandbox  customer_login_otp');
    expect(res.stdout).toContain(`Kode masuk Anda di Toko Auth Store: ${otp}`);
  });

  it('lists newest first, honours --limit and prints one JSON object with --json', async () => {
    const to = `ops-${randomString(8).toLowerCase()}@example.test`;
    const first = await queueMail(to, 'Pertama', 'satu');
    const second = await queueMail(to, 'Kedua', 'dua\nbaris dua');
    const res = await nexus('mail', 'list', '--to', to, '--json');
    expect(res.code, res.stderr).toBe(0);
    const { messages } = JSON.parse(res.stdout);
    expect(messages.map((m: { id: number }) => m.id)).toEqual([second, first]);
    expect(messages[0]).toMatchObject({
      to_address: to,
      subject: 'Kedua',
      text_body: 'dua\nbaris dua',
      status: 'queued',
      kind: 'test_mail',
    });

    const limited = JSON.parse((await nexus('mail', 'list', '--to', to, '--limit', '1', '--json')).stdout);
    expect(limited.messages).toHaveLength(1);
    const text = await nexus('mail', 'list', '--to', to, '--limit', '1');
    expect(text.stdout).toContain('Subject: Kedua');
    expect(text.stdout).toContain('    baris dua');
    expect(text.stdout).not.toContain('Pertama');
    const all = await nexus('mail', 'list', '--limit', '2');
    expect(all.code).toBe(0);
  });

  it('says so when nothing matches, and rejects a bad --limit', async () => {
    const empty = await nexus('mail', 'list', '--to', 'nobody-at-all@example.test');
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe('No e-mails to nobody-at-all@example.test.');
    for (const limit of ['0', 'ten', '501']) {
      const bad = await nexus('mail', 'list', '--limit', limit);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--limit');
    }
    const help = await nexus('mail', 'list', '--help');
    expect(help.stdout).toContain('Usage: nexus mail list');
    expect((await nexus('--help')).stdout).toContain('mail list');
  });
});
