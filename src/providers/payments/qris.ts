/**
 * A dynamic QRIS payload in the EMVCo merchant-presented format: tag-length-value fields, the
 * amount in tag 54, and a CRC-16/CCITT-FALSE checksum in tag 63 that banking apps verify before
 * they read anything else.
 */
export interface QrisFields {
  merchantName: string;
  merchantCity: string;
  postalCode: string;
  /** Whole Rupiah. */
  amount: number;
  /** Our reference, printed in the additional data (tag 62, reference label). */
  reference: string;
  /** National merchant id (NMID) and the acquirer's merchant PAN. */
  nmid: string;
  merchantPan: string;
}

function tlv(tag: string, value: string): string {
  if (value.length > 99) throw new RangeError(`QRIS tag ${tag} is longer than 99 characters`);
  return `${tag}${String(value.length).padStart(2, '0')}${value}`;
}

/** Printable ASCII only, as the EMVCo alphanumeric special fields allow, cut to the field's limit. */
function clean(text: string, max: number, fallback: string): string {
  const ascii = text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return (ascii || fallback).slice(0, max);
}

/** CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF), as EMVCo requires, upper-case hex. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export function buildQrisString(fields: QrisFields): string {
  const body = [
    tlv('00', '01'),
    // 12 = dynamic: the code is for this one payment.
    tlv('01', '12'),
    tlv(
      '26',
      tlv('00', 'ID.CO.QRIS.WWW') + tlv('01', fields.merchantPan) + tlv('02', fields.nmid) + tlv('03', 'UMI'),
    ),
    tlv('51', tlv('00', 'ID.CO.QRIS.WWW') + tlv('02', fields.nmid) + tlv('03', 'UMI')),
    tlv('52', '5999'),
    tlv('53', '360'),
    tlv('54', String(fields.amount)),
    tlv('58', 'ID'),
    tlv('59', clean(fields.merchantName, 25, 'NEXUS MERCHANT')),
    tlv('60', clean(fields.merchantCity, 15, 'JAKARTA')),
    tlv('61', clean(fields.postalCode, 10, '10110')),
    tlv('62', tlv('05', clean(fields.reference, 25, 'NEXUS'))),
  ].join('');
  const withCrcTag = `${body}6304`;
  return `${withCrcTag}${crc16(withCrcTag)}`;
}

/** Splits a payload back into its top-level fields (tests and the sandbox page read it). */
export function parseTlv(payload: string): Map<string, string> {
  const fields = new Map<string, string>();
  let at = 0;
  while (at + 4 <= payload.length) {
    const tag = payload.slice(at, at + 2);
    const length = Number(payload.slice(at + 2, at + 4));
    if (!Number.isInteger(length)) break;
    fields.set(tag, payload.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return fields;
}
