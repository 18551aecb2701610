import { toCents } from '../lib/money.ts';

/** `"150000.00"` -> `Rp150.000`; cents only when there are any (`Rp150.000,50`), as Indonesian shops write it. */
export function rupiah(amount: string): string {
  const cents = toCents(amount);
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = (abs / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  const fraction = abs % 100n === 0n ? '' : `,${(abs % 100n).toString().padStart(2, '0')}`;
  return `${negative ? '-' : ''}Rp${whole}${fraction}`;
}

export function isZero(amount: string): boolean {
  return toCents(amount) === 0n;
}

const DATE_TIME = new Intl.DateTimeFormat('id-ID', {
  timeZone: 'Asia/Jakarta',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** `6 Mei 2030 pukul 14.08 WIB` (buyers read Jakarta time). */
export function jakartaTime(iso: string): string {
  return `${DATE_TIME.format(new Date(iso))} WIB`;
}

export const ORDER_STATUS_LABELS: Record<string, string> = {
  draft: 'Draf',
  pending: 'Menunggu pembayaran',
  confirmed: 'Dikonfirmasi',
  in_process: 'Sedang diproses',
  ready: 'Siap dikirim',
  canceled: 'Dibatalkan',
  shipped: 'Dalam pengiriman',
  shipped_rts: 'Dikembalikan ke penjual',
  completed: 'Selesai',
  rts: 'Dikembalikan ke penjual',
  closed: 'Ditutup',
};

export const PAYMENT_STATUS_LABELS: Record<string, string> = {
  unpaid: 'Belum dibayar',
  paid: 'Sudah dibayar',
  conflict: 'Pembayaran sedang dicek',
  settled: 'Lunas',
};

export const PAYMENT_METHOD_LABELS: Record<string, string> = {
  bank_transfer: 'Transfer bank',
  cod: 'Bayar di tempat (COD)',
  no_payment: 'Tanpa pembayaran',
  va: 'Virtual Account',
  qris: 'QRIS',
  card: 'Kartu kredit/debit',
  invoice: 'Tautan pembayaran',
  alfamart: 'Alfamart',
  indomaret: 'Indomaret',
  ovo: 'OVO',
  dana: 'DANA',
  shopeepay: 'ShopeePay',
  linkaja: 'LinkAja',
  gopay: 'GoPay',
  marketplace: 'Marketplace',
};

export const label = (labels: Record<string, string>, code: string) => labels[code] ?? code;
