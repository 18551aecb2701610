import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findHostedOrder } from '../modules/public-orders/service.ts';
import { isTransferProofKeyOf, transferProofFilename } from '../modules/public-orders/transfer-proof.ts';
import { storageFor } from '../providers/storage/index.ts';
import { COPY_SCRIPT, hasCopyButtons } from './copy.ts';
import { sendErrorPage, sendPage } from './layout.ts';
import { orderPage, successPage } from './order-page.ts';
import { canCreatePayment, createPayment } from './payment.ts';
import { registerResetPasswordPage } from './reset-password.ts';

type SlugRequest = FastifyRequest<{ Params: { secret_slug: string } }>;
type ProofRequest = FastifyRequest<{ Params: { secret_slug: string; key: string } }>;

function load(request: FastifyRequest, secretSlug: string) {
  const { db, config } = request.server.deps;
  return findHostedOrder({ db, publicUrl: config.publicUrl }, secretSlug);
}

const title = (orderId: string, storeName: string) => `Pesanan #${orderId} · ${storeName}`;

/** Orders are paid through the sandbox driver: the pages say so, so nobody mistakes them for real. */
const isTestMode = (request: FastifyRequest) => request.server.deps.config.payments.driver === 'sandbox';

async function showOrder(request: SlugRequest, reply: FastifyReply) {
  const found = await load(request, request.params.secret_slug);
  if (!found) return sendErrorPage(reply, 404);
  const { view, record } = found;
  const body = orderPage(view, {
    canCreatePayment: canCreatePayment(record),
    serviceFee: record.order.service_fee,
    testMode: isTestMode(request),
  });
  return sendPage(
    reply,
    200,
    title(view.order_id, view.store.name),
    body,
    hasCopyButtons(body) ? COPY_SCRIPT : undefined,
  );
}

/**
 * The "Bayar sekarang" button: asks the payments module for the order's instructions (idempotent
 * there: a second press returns the same ones), then shows the order page again (303, so a reload
 * does not re-post).
 */
async function pay(request: SlugRequest, reply: FastifyReply) {
  const found = await load(request, request.params.secret_slug);
  if (!found) return sendErrorPage(reply, 404);
  if (canCreatePayment(found.record)) await createPayment(request, found.record);
  return reply
    .code(303)
    .header('cache-control', 'no-store')
    .redirect(`/o/${encodeURIComponent(found.view.secret_slug)}#pembayaran`, 303);
}

async function showSuccess(request: SlugRequest, reply: FastifyReply) {
  const found = await load(request, request.params.secret_slug);
  if (!found) return sendErrorPage(reply, 404);
  return sendPage(
    reply,
    200,
    title(found.view.order_id, found.view.store.name),
    successPage(found.view, isTestMode(request)),
  );
}

/**
 * The stable `file_url` of a transfer proof: checks that the key was issued for this order, then
 * redirects to a fresh short-lived signed download (served as an attachment, never as a page).
 */
async function showTransferProof(request: ProofRequest, reply: FastifyReply) {
  const found = await load(request, request.params.secret_slug);
  const { deps } = request.server;
  const { key } = request.params;
  if (!found || !isTransferProofKeyOf(deps.keys.storage, found.record.order.id, key)) {
    return sendErrorPage(reply, 404);
  }
  const download = storageFor(deps).createDownloadUrl(key, {
    filename: transferProofFilename(found.record.order.order_id, key),
  });
  return reply
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .redirect(download.url, 302);
}

function statusOf(error: unknown): number {
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : 500;
}

/**
 * Hosted, server-rendered buyer pages behind `public_order_url`, `payment_url` and the default
 * `redirect_url`. Outside the contract and the OpenAPI document; they carry no credential, so the
 * auth hook charges them to the client-IP bucket like every browser route.
 */
export function registerHostedPages(app: FastifyInstance): void {
  app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => {
      const status = statusOf(error);
      if (status >= 500) request.log.error({ err: error }, 'hosted page failed');
      return sendErrorPage(reply, status);
    });
    // HTML forms: the pay button (an empty form) and the password reset form.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const options = { schema: { hide: true } };
    scope.get('/o/:secret_slug', options, showOrder);
    scope.get('/o/:secret_slug/pay', options, showOrder);
    scope.post('/o/:secret_slug/pay', options, pay);
    scope.get('/o/:secret_slug/success', options, showSuccess);
    scope.get('/o/:secret_slug/transfer-proof/:key', options, showTransferProof);
    registerResetPasswordPage(scope);
  });
}
