import { Type } from '@sinclair/typebox';
import { StorefrontStoreParams } from '../../http/schemas.ts';

export const OrderPaymentParams = Type.Object({
  store_id: StorefrontStoreParams.properties.store_id,
  // Slugs are 40 URL-safe characters; other lengths simply find no order (404), other characters are 422.
  secret_slug: Type.String({
    minLength: 1,
    maxLength: 100,
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'The order’s secret_slug.',
  }),
});
