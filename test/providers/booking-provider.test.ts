import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { bookingProviderFor, SandboxShipmentBooking } from '../../src/providers/shipping/index.ts';
import { BiteshipStub, STUB_API_KEY } from './biteship-stub.ts';

const stub = new BiteshipStub();
beforeAll(() => stub.start());
afterAll(() => stub.stop());

describe('the configured booking provider', () => {
  it('is the sandbox by default and Biteship at the configured URL when chosen, one per app', async () => {
    const sandboxDeps = { config: loadConfig({}) };
    expect(bookingProviderFor(sandboxDeps)).toBeInstanceOf(SandboxShipmentBooking);
    expect(bookingProviderFor(sandboxDeps)).toBe(bookingProviderFor(sandboxDeps));

    const deps = {
      config: loadConfig({
        NEXUS_SHIPPING_BOOKING_DRIVER: 'biteship',
        BITESHIP_API_KEY: STUB_API_KEY,
        BITESHIP_BASE_URL: stub.url,
      }),
    };
    const provider = bookingProviderFor(deps);
    expect(provider.code).toBe('biteship');
    const created = await provider.createShipment({
      reference: '260302CONFIG',
      idempotencyKey: '260302CONFIG:awb:1',
      origin: { name: 'Toko Budi', phone: '081234567890', address: 'Jl. Kebon Jeruk 5', postalCode: '11530' },
      destination: {
        name: 'Siti Aminah',
        phone: '085711112222',
        address: 'Jl. Dago 10',
        postalCode: '40135',
      },
      items: [{ name: 'Kaos Polos L', value: 75_000, quantity: 1, weightGrams: 250 }],
      service: { courierCode: 'jne', serviceCode: 'REG' },
    });
    expect(stub.orders.has(created.providerOrderId)).toBe(true);
  });
});
