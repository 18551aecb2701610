import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import './tables.ts';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escapeHtml = (value: unknown) => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const CHANNEL_NAMES: Record<string, string> = {
  OVO: 'OVO',
  DANA: 'DANA',
  SHOPEEPAY: 'ShopeePay',
  LINKAJA: 'LinkAja',
  CARD: 'Kartu kredit/debit',
  INVOICE: 'Link pembayaran',
};

function rupiah(amount: string): string {
  const whole = amount.split('.')[0] ?? '0';
  return `Rp${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

function page(status: number, title: string, body: string, reply: FastifyReply) {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    )
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .send(`<!doctype html><html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#f5f5f5;color:#222}
main{max-width:28rem;margin:0 auto;background:#fff;border-radius:.5rem;padding:1.25rem}
.badge{display:inline-block;background:#fde68a;border-radius:.25rem;padding:.1rem .4rem;font-size:.8rem}
.amount{font-size:1.6rem;font-weight:700;margin:.5rem 0}code{word-break:break-all}</style></head>
<body><main>${body}</main></body></html>`);
}

type PageRequest = FastifyRequest<{ Params: { reference_id: string } }>;

/**
 * Stands in for the gateway's own checkout page behind sandbox e-wallet actions and invoice URLs.
 * It changes nothing: in the sandbox only the operator moves payments (`nexus payments simulate`),
 * so a buyer can never mark an order paid, even on a server left on the sandbox by mistake.
 */
async function showSandboxPayment(request: PageRequest, reply: FastifyReply) {
  const { db, config } = request.server.deps;
  const reference = request.params.reference_id;
  const payment =
    config.payments.driver === 'sandbox' && reference.length <= 100
      ? await db
          .selectFrom('payment_sandbox_payments as p')
          .innerJoin('orders as o', 'o.id', 'p.order_id')
          .select(['p.channel_code', 'p.amount', 'p.status', 'o.order_id', 'o.secret_slug'])
          .where('p.reference_id', '=', reference)
          .executeTakeFirst()
      : undefined;
  if (!payment) return page(404, 'Pembayaran tidak ditemukan', '<h1>Pembayaran tidak ditemukan</h1>', reply);
  const orderUrl = `${config.publicUrl.replace(/\/+$/, '')}/o/${encodeURIComponent(payment.secret_slug)}`;
  const channel = CHANNEL_NAMES[payment.channel_code] ?? payment.channel_code;
  return page(
    200,
    `Bayar ${payment.order_id}`,
    `<span class="badge">SANDBOX</span>
<h1>${escapeHtml(channel)}</h1>
<p>Pesanan <strong>${escapeHtml(payment.order_id)}</strong></p>
<p class="amount">${escapeHtml(rupiah(payment.amount))}</p>
<p>Status: <strong>${escapeHtml(payment.status)}</strong></p>
<p>Ini adalah gateway pembayaran sandbox: tidak ada uang yang ditarik. Operator menyelesaikan
pembayaran ini dengan <code>nexus payments simulate --order ${escapeHtml(payment.order_id)} --paid</code>.</p>
<p><a href="${escapeHtml(orderUrl)}">Kembali ke pesanan</a></p>`,
    reply,
  );
}

export function registerSandboxPaymentPage(app: FastifyInstance): void {
  app.get('/sandbox/payments/:reference_id', { schema: { hide: true } }, showSandboxPayment);
}
