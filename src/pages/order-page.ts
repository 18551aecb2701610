import type { PublicOrder } from '../modules/orders/schemas.ts';
import {
  isZero,
  jakartaTime,
  label,
  ORDER_STATUS_LABELS,
  PAYMENT_METHOD_LABELS,
  PAYMENT_STATUS_LABELS,
  rupiah,
} from './format.ts';
import { html, type SafeHtml } from './html.ts';
import { paymentInstructions } from './payment-instructions.ts';

/** What the order page knows beyond the buyer-safe public order. */
export interface OrderPageOptions {
  /** The page may ask the payments module for e-payment instructions the order does not have yet. */
  canCreatePayment: boolean;
  /**
   * The e-payment service fee the buyer pays, part of `gross_revenue`; the public order has no
   * field for it, so without this line the rows would not add up to the total.
   */
  serviceFee: string;
  /** The payment driver is the sandbox: nothing paid through this page moves real money. */
  testMode: boolean;
}

const isPaid = (order: PublicOrder) => order.payment_status === 'paid' || order.payment_status === 'settled';
const isOver = (order: PublicOrder) => order.status === 'canceled' || order.status === 'closed';

function badges(order: PublicOrder): SafeHtml {
  const statusTone = isOver(order) ? 'bad' : order.status === 'completed' ? 'ok' : '';
  const paymentTone = isPaid(order) ? 'ok' : order.payment_status === 'conflict' ? 'warn' : 'warn';
  return html`<div class="badges">
<span class="badge ${statusTone}" data-testid="status">${label(ORDER_STATUS_LABELS, order.status)}</span>
${order.payment_method === 'no_payment' ? null : html`<span class="badge ${paymentTone}" data-testid="payment-status">${label(PAYMENT_STATUS_LABELS, order.payment_status)}</span>`}
</div>`;
}

/** Says plainly that this is a test store: instructions are samples and no real money is taken. */
function testModeNotice(testMode: boolean): SafeHtml | null {
  if (!testMode) return null;
  return html`<p class="notice test" data-testid="test-mode"><span class="badge test">Mode uji</span>
Pembayaran di halaman ini tidak sungguhan: nomor dan kode pembayaran hanya contoh, tidak ada uang yang ditagih.</p>`;
}

function header(order: PublicOrder, testMode: boolean): SafeHtml {
  return html`<header>
<p class="store">${order.store.name}</p>
<h1>Pesanan #${order.order_id}</h1>
${badges(order)}
</header>
${testModeNotice(testMode)}`;
}

function optionText(line: PublicOrder['orderlines'][number]): string | null {
  const options = [line.variant_option1_value, line.variant_option2_value, line.variant_option3_value].filter(
    (value): value is string => Boolean(value),
  );
  return options.length > 0 && !line.name.includes(options.join(' ')) ? options.join(' / ') : null;
}

function items(order: PublicOrder): SafeHtml {
  return html`<section>
<h2>Rincian pesanan</h2>
<ul class="items">${order.orderlines.map((line) => {
    const options = optionText(line);
    return html`<li><div><div class="item-name">${line.name}</div>
${options ? html`<div class="muted">${options}</div>` : null}
<div class="muted">${line.quantity} × ${rupiah(line.variant_price)}</div></div>
<div class="price">${rupiah(line.product_price)}</div></li>`;
  })}</ul>
</section>`;
}

/**
 * The rows of the payment summary that apply to this order, as [label, signed amount]: they add up
 * to `gross_revenue` (pricing.ts computes it exactly so).
 */
export function totalRows(order: PublicOrder, serviceFee: string): Array<[string, string]> {
  const rows: Array<[string, string, boolean]> = [
    ['Subtotal produk', order.product_price, true],
    ['Diskon produk', `-${order.product_discount}`, !isZero(order.product_discount)],
    ['Ongkos kirim', order.shipping_cost, order.courier_service !== null || !isZero(order.shipping_cost)],
    ['Diskon ongkos kirim', `-${order.shipping_discount}`, !isZero(order.shipping_discount)],
    [
      order.discount_code_code ? `Kode diskon ${order.discount_code_code}` : 'Kode diskon',
      `-${order.discount_code_discount}`,
      !isZero(order.discount_code_discount),
    ],
    ['Kode unik', `-${order.unique_code_discount}`, !isZero(order.unique_code_discount)],
    [order.other_income_name ?? 'Biaya lain', order.other_income, !isZero(order.other_income)],
    ['Biaya layanan pembayaran', serviceFee, !isZero(serviceFee)],
  ];
  return rows.filter(([, , shown]) => shown).map(([name, amount]) => [name, amount]);
}

function totals(order: PublicOrder, serviceFee: string): SafeHtml {
  return html`<section>
<h2>Ringkasan pembayaran</h2>
<dl class="totals">${totalRows(order, serviceFee).map(
    ([name, amount]) => html`<dt>${name}</dt><dd data-testid="total-row">${rupiah(amount)}</dd>`,
  )}
<dt class="total">Total</dt><dd class="total" data-testid="total">${rupiah(order.gross_revenue)}</dd>
</dl>
<p class="muted">Metode pembayaran: ${label(PAYMENT_METHOD_LABELS, order.payment_method)}${order.sub_payment_method ? ` (${order.sub_payment_method})` : ''}</p>
</section>`;
}

function shipping(order: PublicOrder): SafeHtml | null {
  const address = order.destination_address;
  if (!address) return null;
  const place = [address.subdistrict, address.city, address.province, address.postal_code]
    .filter((part): part is string => Boolean(part))
    .join(', ');
  const courier = order.courier_service;
  return html`<section>
<h2>Pengiriman</h2>
<p><strong>${address.name}</strong>${address.phone ? html`<br>${address.phone}` : null}
${address.address ? html`<br>${address.address}` : null}${place ? html`<br>${place}` : null}</p>
${courier ? html`<p class="muted">Kurir: ${courier.courier.name} ${courier.name}</p>` : null}
${order.shipment_receipt ? html`<p class="muted">No. resi: <strong>${order.shipment_receipt}</strong></p>` : null}
</section>`;
}

/** `0812-3456 789` -> `628123456789` for a wa.me link; null when it is no phone number. */
function whatsappNumber(phone: string | null): string | null {
  const digits = (phone ?? '').replace(/\D/g, '');
  if (digits.length < 8 || digits.length > 15) return null;
  return digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
}

function help(order: PublicOrder): SafeHtml {
  const number = whatsappNumber(order.handler_phone);
  const chat = number
    ? html`<a class="button secondary" href="https://wa.me/${number}?text=${encodeURIComponent(order.chat_message)}" rel="noopener noreferrer">Hubungi penjual via WhatsApp</a>`
    : null;
  return html`${chat}<footer>Dibuat ${order.draft_time ? jakartaTime(order.draft_time) : ''} · Simpan tautan halaman ini untuk melihat status pesanan Anda.</footer>`;
}

function paymentSection(order: PublicOrder, canCreatePayment: boolean): SafeHtml {
  if (isOver(order)) {
    return html`<p class="notice bad">Pesanan ini ${order.status === 'canceled' ? 'dibatalkan' : 'sudah ditutup'}.</p>`;
  }
  if (isPaid(order)) {
    return html`<p class="notice ok" data-testid="paid">Pembayaran sudah diterima${order.paid_time ? ` pada ${jakartaTime(order.paid_time)}` : ''}. Terima kasih!</p>`;
  }
  if (order.payment_method === 'no_payment') return html``;
  return html`<section id="pembayaran">
<h2>Cara pembayaran</h2>
${paymentInstructions(order, canCreatePayment)}
</section>`;
}

/** The hosted order page behind `public_order_url` (and `payment_url`). */
export function orderPage(order: PublicOrder, options: OrderPageOptions): SafeHtml {
  return html`${header(order, options.testMode)}
${paymentSection(order, options.canCreatePayment)}
${items(order)}
${totals(order, options.serviceFee)}
${shipping(order)}
${help(order)}`;
}

/** The thank-you page behind the default `redirect_url`. */
export function successPage(order: PublicOrder, testMode: boolean): SafeHtml {
  const next = isPaid(order)
    ? 'Pembayaran Anda sudah kami terima. Penjual akan segera memproses pesanan Anda.'
    : order.payment_method === 'cod'
      ? 'Siapkan pembayaran tunai saat paket tiba.'
      : order.payment_method === 'no_payment'
        ? 'Penjual akan segera memproses pesanan Anda.'
        : 'Selesaikan pembayaran agar pesanan Anda segera diproses.';
  return html`${testModeNotice(testMode)}<section>
<p class="store">${order.store.name}</p>
<h1>Terima kasih, ${order.customer.name}!</h1>
<p>Pesanan <strong>#${order.order_id}</strong> sudah kami terima.</p>
<p class="amount" data-testid="total">${rupiah(order.gross_revenue)}</p>
<p>${next}</p>
<a class="button" href="/o/${encodeURIComponent(order.secret_slug)}">Lihat pesanan${isPaid(order) || order.payment_method === 'cod' || order.payment_method === 'no_payment' ? '' : ' dan cara pembayaran'}</a>
</section>`;
}
