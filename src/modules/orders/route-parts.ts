import { Type } from '@sinclair/typebox';

/** The contract lists API keys (bearerAuth, apiKeyAuth) for the Orders tag. */
export const business = ['apiKey'] as const;

export const OrderIdParams = Type.Object({
  id: Type.String({
    maxLength: 64,
    description:
      'The order’s UUIDv7 `id`. Legacy numeric ids are accepted and, never issued here, not found.',
  }),
});
