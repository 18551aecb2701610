import { toCents } from '../../lib/money.ts';
import { excerpt, formatRupiah, renderTemplate } from './template.ts';

/**
 * Ready-to-edit WhatsApp follow-up texts in Indonesian, generated from a product's or a bundle's
 * own data. Product facts are filled in now; buyer facts stay placeholders for send time:
 * `{{customer_name}}`, `{{order_id}}`, `{{order_total}}`, `{{payment_url}}`, `{{bank_account}}`.
 */
export interface OfferFacts {
  /** What the buyer saw: the public name when there is one. */
  name: string;
  /** Variant or package prices, tax included, as decimal strings. */
  prices: string[];
  /** What a bundle contains, e.g. `2x Kopi Arabika (250 g)`; empty for products. */
  contents: string[];
  /** Priced choices (variants, packages), e.g. `Merah: Rp150.000`; empty when there is no choice. */
  choices: string[];
  description: string | null;
}

export interface GeneratedChat {
  name: string;
  provider: string;
  trigger: string;
  hours_after: number;
  change_status: boolean;
  text_for_bank_transfer: string;
  text_for_cod: string;
  text_for_epayment: string;
}

interface Step {
  name: string;
  trigger: string;
  hoursAfter: number;
  bankTransfer: string;
  cod: string;
  epayment: string;
}

const GREETING = 'Halo kak {{customer_name}} 👋';

const STEPS: Step[] = [
  {
    name: 'Follow Up 1 - Konfirmasi Pesanan',
    trigger: 'pending',
    hoursAfter: 0,
    bankTransfer: `${GREETING}\n\nTerima kasih sudah memesan *{{product_name}}* (pesanan {{order_id}}).\n\n{{offer_summary}}\n\nTotal pembayaran: *{{order_total}}*\nSilakan transfer ke rekening berikut:\n{{bank_account}}\n\nSetelah transfer, kirim bukti pembayarannya di sini ya kak, pesanan langsung kami proses 🙏`,
    cod: `${GREETING}\n\nTerima kasih sudah memesan *{{product_name}}* (pesanan {{order_id}}) dengan pembayaran COD.\n\n{{offer_summary}}\n\nTotal yang dibayar ke kurir: *{{order_total}}*\nBalas *YA* untuk konfirmasi, pesanan segera kami kirim 🙏`,
    epayment: `${GREETING}\n\nTerima kasih sudah memesan *{{product_name}}* (pesanan {{order_id}}).\n\n{{offer_summary}}\n\nTotal pembayaran: *{{order_total}}*\nSelesaikan pembayaran lewat tautan ini ya kak:\n{{payment_url}}`,
  },
  {
    name: 'Follow Up 2 - Pengingat',
    trigger: 'pending',
    hoursAfter: 24,
    bankTransfer: `${GREETING}\n\nPesanan *{{product_name}}* kakak ({{order_id}}) masih menunggu pembayaran sebesar *{{order_total}}*.\nRekening tujuan:\n{{bank_account}}\n\nAda yang bisa kami bantu? Balas pesan ini saja ya kak 😊`,
    cod: `${GREETING}\n\nPesanan COD *{{product_name}}* kakak ({{order_id}}) belum dikonfirmasi. Balas *YA* supaya bisa segera kami kirim ya kak 😊`,
    epayment: `${GREETING}\n\nPesanan *{{product_name}}* kakak ({{order_id}}) masih menunggu pembayaran sebesar *{{order_total}}*.\nBayar di sini ya kak:\n{{payment_url}}`,
  },
  {
    name: 'Follow Up 3 - Kesempatan Terakhir',
    trigger: 'pending',
    hoursAfter: 72,
    bankTransfer: `${GREETING}\n\nIni pengingat terakhir untuk pesanan *{{product_name}}* ({{order_id}}) seharga {{price}}. Stok terbatas, pesanan yang belum dibayar akan kami batalkan.\n\nTransfer *{{order_total}}* ke:\n{{bank_account}}`,
    cod: `${GREETING}\n\nIni pengingat terakhir untuk pesanan COD *{{product_name}}* ({{order_id}}). Stok terbatas, balas *YA* hari ini supaya pesanan tidak dibatalkan ya kak.`,
    epayment: `${GREETING}\n\nIni pengingat terakhir untuk pesanan *{{product_name}}* ({{order_id}}) seharga {{price}}. Stok terbatas, pesanan yang belum dibayar akan kami batalkan.\n\nBayar *{{order_total}}* di sini:\n{{payment_url}}`,
  },
  {
    name: 'Pesanan Dikirim',
    trigger: 'shipped',
    hoursAfter: 0,
    bankTransfer: `${GREETING}\n\nKabar baik! Pesanan *{{product_name}}* ({{order_id}}) sudah kami kirim. Ditunggu ya kak 📦`,
    cod: `${GREETING}\n\nKabar baik! Pesanan *{{product_name}}* ({{order_id}}) sudah kami kirim. Siapkan uang pas *{{order_total}}* saat kurir datang ya kak 📦`,
    epayment: `${GREETING}\n\nKabar baik! Pesanan *{{product_name}}* ({{order_id}}) sudah kami kirim. Ditunggu ya kak 📦`,
  },
  {
    name: 'Terima Kasih',
    trigger: 'completed',
    hoursAfter: 24,
    bankTransfer: `${GREETING}\n\nTerima kasih sudah belanja *{{product_name}}* 🙏 Bagaimana pengalaman kakak? Kami senang sekali kalau kakak mau berbagi ulasan.`,
    cod: `${GREETING}\n\nTerima kasih sudah belanja *{{product_name}}* 🙏 Bagaimana pengalaman kakak? Kami senang sekali kalau kakak mau berbagi ulasan.`,
    epayment: `${GREETING}\n\nTerima kasih sudah belanja *{{product_name}}* 🙏 Bagaimana pengalaman kakak? Kami senang sekali kalau kakak mau berbagi ulasan.`,
  },
];

/** `Rp150.000`, or `mulai Rp100.000` when the choices cost different amounts. */
export function priceText(prices: string[]): string {
  if (prices.length === 0) return '';
  const sorted = [...prices].sort((a, b) => {
    const difference = toCents(a) - toCents(b);
    return difference < 0n ? -1 : difference > 0n ? 1 : 0;
  });
  const lowest = formatRupiah(sorted[0]!);
  return formatRupiah(sorted[sorted.length - 1]!) === lowest ? lowest : `mulai ${lowest}`;
}

function offerSummary(facts: OfferFacts): string {
  const parts: string[] = [];
  const description = excerpt(facts.description);
  if (description) parts.push(description);
  const bullets = (lines: string[]) => lines.map((line) => `• ${line}`).join('\n');
  if (facts.contents.length > 0) parts.push(`Isi paket:\n${bullets(facts.contents)}`);
  if (facts.choices.length > 0) parts.push(`Pilihan:\n${bullets(facts.choices)}`);
  else if (facts.prices.length > 0) parts.push(`Harga: ${priceText(facts.prices)}`);
  return parts.join('\n\n');
}

export function generateFollowUpChats(facts: OfferFacts): GeneratedChat[] {
  const values = {
    product_name: facts.name,
    price: priceText(facts.prices),
    offer_summary: offerSummary(facts),
  };
  // An empty summary would leave a gap of blank lines in the message.
  const render = (template: string) => renderTemplate(template, values).replace(/\n{3,}/g, '\n\n');
  return STEPS.map((step) => ({
    name: step.name,
    provider: 'whatsapp',
    trigger: step.trigger,
    hours_after: step.hoursAfter,
    change_status: false,
    text_for_bank_transfer: render(step.bankTransfer),
    text_for_cod: render(step.cod),
    text_for_epayment: render(step.epayment),
  }));
}
