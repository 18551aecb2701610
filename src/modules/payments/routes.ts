import { storefrontPrincipal } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { ErrorEnvelope } from '../../http/schemas.ts';
import { toPublicOrder } from '../orders/present.ts';
import { PublicOrderSchema } from '../orders/schemas.ts';
import { OrderPaymentParams } from './schemas.ts';
import { ensureOrderPayment } from './service.ts';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'createStorefrontPublicOrderPayment',
    method: 'POST',
    path: '/v3/stores/{store_id}/public/orders/{secret_slug}/payment',
    auth: ['storefrontKey'],
    description:
      'Creates the gateway payment of an e-payment order and answers the order with its instructions in ' +
      '`pg_payment_info`. Idempotent: while a payment is waiting (or paid) the same instructions come back. ' +
      'Bank transfer and COD orders come back unchanged (`pg_payment_info` is `{}`; bank transfer ' +
      'instructions are `store.payment_accounts`). 409 for a canceled order or a closed payment window; ' +
      '503 when the payment provider cannot be reached (nothing is created; try again).',
    schema: {
      params: OrderPaymentParams,
      response: { 200: PublicOrderSchema, 409: ErrorEnvelope, 503: ErrorEnvelope },
    },
    handler: async (request) => {
      const storefront = storefrontPrincipal(request);
      const { db, config } = request.server.deps;
      const record = await ensureOrderPayment({ db, config }, storefront.storeId, request.params.secret_slug);
      return toPublicOrder(record, { publicUrl: config.publicUrl, storeUniqueId: storefront.storeUniqueId });
    },
  }),
];
