import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  FIRST_RETRY_MS,
  MAX_RETRY_DELAY_MS,
  nextAttemptAt,
  RETRY_WINDOW_MS,
  retryDelayMs,
} from '../../../src/modules/webhooks/backoff.ts';
import {
  deliveryHeaders,
  envelopeBody,
  SIGNATURE_HEADER,
  signWebhookBody,
} from '../../../src/modules/webhooks/events.ts';

describe('webhook signatures', () => {
  it('is Base64(HMAC-SHA256(secret, raw body bytes)), a known vector', () => {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
    const body = Buffer.from('what do ya want for nothing?');
    expect(signWebhookBody('Jefe', body)).toBe(
      Buffer.from('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hex').toString(
        'base64',
      ),
    );
  });

  it('signs the exact bytes sent, non-ASCII included', () => {
    const body = envelopeBody({
      event: 'order.created',
      unique_id: 'event_abc',
      created_at: new Date('2026-01-02T03:04:05.678Z'),
      payload: { customer_name: 'Siti Nurhaliza 🌸', total: '150000.00' },
    });
    expect(body.toString('utf8')).toBe(
      '{"event":"order.created","unique_id":"event_abc","timestamp":"2026-01-02T03:04:05.678Z",' +
        '"data":{"customer_name":"Siti Nurhaliza 🌸","total":"150000.00"}}',
    );
    const headers = deliveryHeaders('whsec_test', body);
    const expected = createHmac('sha256', 'whsec_test').update(body).digest('base64');
    expect(headers[SIGNATURE_HEADER.toLowerCase()]).toBe(expected);
    expect(headers['content-type']).toBe('application/json');
    expect(headers['user-agent']).toMatch(/^Nexus-Webhooks\//);
    // A different secret, or a byte changed, gives another signature.
    expect(signWebhookBody('whsec_other', body)).not.toBe(expected);
    expect(signWebhookBody('whsec_test', Buffer.concat([body, Buffer.from(' ')]))).not.toBe(expected);
  });
});

describe('the webhook retry schedule', () => {
  const middle = () => 0.5;

  it('doubles from 15 s and stops growing at 6 hours', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, middle))).toEqual([
      15_000, 30_000, 60_000, 120_000, 240_000,
    ]);
    expect(retryDelayMs(11, middle)).toBe(15_000 * 2 ** 10);
    expect(retryDelayMs(12, middle)).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs(40, middle)).toBe(MAX_RETRY_DELAY_MS);
  });

  it('spreads each delay by ±20%', () => {
    expect(retryDelayMs(1, () => 0)).toBe(FIRST_RETRY_MS * 0.8);
    expect(retryDelayMs(1, () => 0.999999)).toBeCloseTo(FIRST_RETRY_MS * 1.2, -1);
    expect(retryDelayMs(20, () => 0)).toBe(MAX_RETRY_DELAY_MS * 0.8);
    for (let i = 0; i < 200; i++) {
      const delay = retryDelayMs(3);
      expect(delay).toBeGreaterThanOrEqual(48_000);
      expect(delay).toBeLessThanOrEqual(72_000);
    }
  });

  it('keeps trying for 24 hours from the delivery, then gives up', () => {
    for (const random of [() => 0, middle, () => 0.999999]) {
      const created = new Date('2026-03-01T00:00:00Z');
      let now = created;
      let attempt = 1;
      for (;;) {
        const next = nextAttemptAt(created, attempt, now, random);
        if (!next) break;
        expect(next.getTime()).toBeGreaterThan(now.getTime());
        now = next;
        attempt += 1;
      }
      expect(now.getTime() - created.getTime()).toBeLessThanOrEqual(RETRY_WINDOW_MS);
      // The last attempt lands within one (longest) delay of the end of the window.
      expect(now.getTime() - created.getTime()).toBeGreaterThan(RETRY_WINDOW_MS - MAX_RETRY_DELAY_MS * 1.2);
      expect(attempt).toBeGreaterThanOrEqual(12);
      expect(attempt).toBeLessThanOrEqual(16);
    }
    const created = new Date();
    expect(nextAttemptAt(created, 1, new Date(created.getTime() + RETRY_WINDOW_MS - 1000))).toBeNull();
  });
});
