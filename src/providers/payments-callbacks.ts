import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../http/errors.ts';
import {
  type CallbackResult,
  callbackTokenMatches,
  handleInvoiceCallback,
  handlePaymentCallback,
} from '../modules/payments/callbacks.ts';
import { registerSandboxPaymentPage } from './payments/sandbox-page.ts';

type Handler = (
  db: FastifyInstance['deps']['db'],
  body: unknown,
  publicUrl: string,
) => Promise<CallbackResult>;

/** Refuses a callback without the configured token before its body is even read. */
async function verifyToken(request: FastifyRequest): Promise<void> {
  const sent = request.headers['x-callback-token'];
  const expected = request.server.deps.config.payments.xendit.callbackToken;
  if (!callbackTokenMatches(typeof sent === 'string' ? sent : undefined, expected)) {
    throw errors.unauthorized('Invalid callback token');
  }
}

function callbackRoute(handle: Handler) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const { db, config } = request.server.deps;
    const result = await handle(db, request.body, config.publicUrl);
    if (!result.matched) {
      // Xendit retries anything but a 2xx; a payment this server never created will not appear later.
      request.log.warn({ outcome: result.outcome }, 'xendit callback for an unknown payment');
    }
    return reply.code(200).send({ received: true });
  };
}

/**
 * Payment gateway callbacks (non-contract, hidden from the OpenAPI document, rate limited by IP like
 * every request without an API credential): Xendit's Payment Request callbacks (virtual accounts,
 * QRIS, e-wallets, retail outlets) and Invoice callbacks (cards, payment links), both verified by
 * the `x-callback-token` header. Also the sandbox gateway's payment page.
 */
export function registerPaymentCallbacks(app: FastifyInstance): void {
  const options = { schema: { hide: true }, onRequest: verifyToken };
  app.post('/callbacks/xendit/payments', options, callbackRoute(handlePaymentCallback));
  app.post('/callbacks/xendit/invoices', options, callbackRoute(handleInvoiceCallback));
  registerSandboxPaymentPage(app);
}
