import type { PublicOrder } from '../modules/orders/schemas.ts';
import { copyButton } from './copy.ts';
import { isZero, jakartaTime, label, PAYMENT_METHOD_LABELS, rupiah } from './format.ts';
import { html, type SafeHtml, safeHref } from './html.ts';
import { qrSvg } from './qr.ts';

/** Reads a nested value of the gateway's payload without trusting its shape. */
function dig(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const textAt = (value: unknown, ...path: string[]): string | null => {
  const found = dig(value, ...path);
  return typeof found === 'string' && found.trim() !== '' ? found.trim() : null;
};

/**
 * The buyer-facing parts of `pg_payment_info`, in the shapes the domain notes list (QRIS
 * `qr_string`, VA number, retail payment code, e-wallet `actions[]`, `invoice_url`), also where
 * Xendit's PaymentRequest nests them under `payment_method`.
 */
export interface EpaymentInstructions {
  qrString: string | null;
  vaNumber: string | null;
  vaBank: string | null;
  paymentCode: string | null;
  actions: Array<{ urlType: string; url: string }>;
  invoiceUrl: string | null;
}

export function readPaymentInfo(info: Record<string, unknown>): EpaymentInstructions {
  const method = dig(info, 'payment_method');
  const rawActions = Array.isArray(info.actions) ? info.actions : [];
  const actions: EpaymentInstructions['actions'] = [];
  for (const action of rawActions.slice(0, 10)) {
    const url = safeHref(dig(action, 'url'));
    const urlType = String(dig(action, 'url_type') ?? 'WEB').toUpperCase();
    // `API` actions are for the merchant's server (e.g. OTP validation), not links for the buyer.
    if (url && urlType !== 'API') actions.push({ urlType, url });
  }
  return {
    qrString: textAt(info, 'qr_string') ?? textAt(method, 'qr_code', 'channel_properties', 'qr_string'),
    vaNumber: textAt(method, 'virtual_account', 'channel_properties', 'virtual_account_number'),
    vaBank: textAt(method, 'virtual_account', 'channel_code'),
    paymentCode: textAt(method, 'over_the_counter', 'channel_properties', 'payment_code'),
    actions,
    invoiceUrl: safeHref(info.invoice_url),
  };
}

export function hasInstructions(info: EpaymentInstructions): boolean {
  return Boolean(
    info.qrString || info.vaNumber || info.paymentCode || info.actions.length > 0 || info.invoiceUrl,
  );
}

function deadline(order: PublicOrder): SafeHtml | null {
  if (!order.payment_expiration_at) return null;
  return html`<p class="muted">Bayar sebelum <strong>${jakartaTime(order.payment_expiration_at)}</strong>.</p>`;
}

function amountBlock(order: PublicOrder, caption: string): SafeHtml {
  return html`<p class="muted">${caption}</p><p class="amount" data-testid="amount">${rupiah(order.gross_revenue)}</p>`;
}

function bankTransfer(order: PublicOrder): SafeHtml {
  const accounts = order.store.payment_accounts;
  const uniqueCode = !isZero(order.unique_code_discount)
    ? html`<p class="muted">Sudah termasuk potongan kode unik ${rupiah(order.unique_code_discount)}.
Transfer <strong>tepat sampai 3 digit terakhir</strong> agar pembayaran Anda cepat dicocokkan.</p>`
    : null;
  const list =
    accounts.length === 0
      ? html`<p>Penjual belum mencantumkan rekening tujuan. Silakan hubungi penjual.</p>`
      : html`<p>Ke salah satu rekening berikut:</p>${accounts.map(
          (account) => html`<div class="account">
<div class="bank">${account.financial_entity.name}</div>
<div class="copyable"><div class="number" data-testid="account-number">${account.account_number}</div>
${copyButton(account.account_number, 'nomor rekening')}</div>
<div class="muted">a.n. ${account.account_holder}</div>
</div>`,
        )}`;
  const proof = order.transferproof_url
    ? html`<p class="notice info">Bukti transfer sudah kami terima. Penjual akan segera memeriksanya.</p>`
    : order.store.is_transferproof_required
      ? html`<p class="muted">Setelah transfer, kirim bukti transfer melalui halaman toko agar pesanan diproses.</p>`
      : null;
  return html`${amountBlock(order, 'Transfer tepat sebesar')}${uniqueCode}${list}${deadline(order)}${proof}`;
}

function actionLabel(urlType: string, methodName: string): string {
  if (urlType === 'DEEPLINK') return `Buka aplikasi ${methodName}`;
  if (urlType === 'MOBILE') return `Bayar dengan ${methodName} di ponsel`;
  return `Bayar dengan ${methodName}`;
}

function epayment(order: PublicOrder, info: EpaymentInstructions, canCreate: boolean): SafeHtml {
  const methodName = label(PAYMENT_METHOD_LABELS, order.payment_method);
  const parts: SafeHtml[] = [amountBlock(order, `Total pembayaran (${methodName})`)];
  if (info.vaNumber) {
    const bank = info.vaBank ?? order.sub_payment_method ?? '';
    parts.push(html`<div class="account">
<div class="bank">Nomor Virtual Account ${bank}</div>
<div class="copyable"><div class="number" data-testid="va-number">${info.vaNumber}</div>
${copyButton(info.vaNumber, 'nomor Virtual Account')}</div>
</div>
<ol class="steps"><li>Buka m-banking, internet banking atau ATM ${bank}.</li>
<li>Pilih menu pembayaran Virtual Account, lalu masukkan nomor di atas.</li>
<li>Pastikan jumlahnya ${rupiah(order.gross_revenue)}, lalu konfirmasi.</li></ol>`);
  }
  if (info.qrString) {
    const svg = qrSvg(info.qrString, `Kode QRIS untuk membayar ${rupiah(order.gross_revenue)}`);
    parts.push(
      svg
        ? html`${svg}<p class="muted">Pindai kode QR ini dengan aplikasi e-wallet atau m-banking yang mendukung QRIS.</p>`
        : html`<p>Kode QRIS tidak dapat ditampilkan. Silakan hubungi penjual.</p>`,
    );
  }
  if (info.paymentCode) {
    parts.push(html`<div class="account">
<div class="bank">Kode pembayaran ${methodName}</div>
<div class="copyable"><div class="number" data-testid="payment-code">${info.paymentCode}</div>
${copyButton(info.paymentCode, 'kode pembayaran')}</div>
</div>
<p class="muted">Tunjukkan kode ini ke kasir ${methodName} dan bayar ${rupiah(order.gross_revenue)}.</p>`);
  }
  for (const action of info.actions) {
    parts.push(
      html`<a class="button" href="${action.url}" rel="noopener noreferrer">${actionLabel(action.urlType, methodName)}</a>`,
    );
  }
  if (info.invoiceUrl) {
    parts.push(
      html`<a class="button" href="${info.invoiceUrl}" rel="noopener noreferrer">Bayar sekarang</a>`,
    );
  }
  if (!hasInstructions(info)) {
    parts.push(
      canCreate
        ? html`<form method="post" action="/o/${encodeURIComponent(order.secret_slug)}/pay">
<button class="button" type="submit">Bayar sekarang</button></form>`
        : html`<p class="notice info">Instruksi pembayaran sedang disiapkan. Muat ulang halaman ini beberapa saat lagi.</p>`,
    );
  }
  const expiry = deadline(order);
  if (expiry) parts.push(expiry);
  return html`${parts}`;
}

/**
 * How to pay, for an order still waiting for its money. `canCreatePayment` says whether this page
 * can ask the payments module for instructions an e-payment order does not have yet.
 */
export function paymentInstructions(order: PublicOrder, canCreatePayment: boolean): SafeHtml {
  switch (order.payment_method) {
    case 'bank_transfer':
      return bankTransfer(order);
    case 'cod':
      return html`${amountBlock(order, 'Bayar tunai kepada kurir saat paket diterima')}`;
    case 'no_payment':
    case 'marketplace':
      return html`<p>Pesanan ini tidak perlu dibayar di sini.</p>`;
    default:
      return epayment(order, readPaymentInfo(order.pg_payment_info), canCreatePayment);
  }
}
