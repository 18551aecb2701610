import { describe, expect, it } from 'vitest';
import { loggableUrl } from '../../src/http/log-url.ts';

describe('URLs in the logs', () => {
  it('hides secret path parameters of the matched route and keeps the rest', () => {
    expect(
      loggableUrl(
        '/v3/stores/store_abc/public/orders/Zx9-long-secret-slug?x=1',
        '/v3/stores/:store_id/public/orders/:secret_slug',
      ),
    ).toBe('/v3/stores/store_abc/public/orders/[redacted]?x=1');
    expect(
      loggableUrl('/o/Zx9secretslug/transfer-proof/b1-tp-abc', '/o/:secret_slug/transfer-proof/:key'),
    ).toBe('/o/[redacted]/transfer-proof/[redacted]');
    expect(loggableUrl('/v3/products/42', '/v3/products/:id')).toBe('/v3/products/42');
  });

  it('hides the values of secret query parameters, whatever the route', () => {
    expect(
      loggableUrl('/s/store_abc/reset-password?token=abcdef123456', '/s/:store_unique_id/reset-password'),
    ).toBe('/s/store_abc/reset-password?token=[redacted]');
    expect(
      loggableUrl('/uploads/k?expires=1700000000&sig=deadbeef&X-Amz-Signature=ff', '/uploads/:key'),
    ).toBe('/uploads/[redacted]?expires=1700000000&sig=[redacted]&X-Amz-Signature=[redacted]');
    expect(loggableUrl('/v3/products?page_size=25&search=kaos', '/v3/products')).toBe(
      '/v3/products?page_size=25&search=kaos',
    );
  });

  it('hides long random-looking segments of a path no route matched', () => {
    expect(loggableUrl('/v3/stores/s/public/order/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789')).toBe(
      '/v3/stores/s/public/order/[redacted]',
    );
    expect(loggableUrl('/nope/short')).toBe('/nope/short');
  });
});
