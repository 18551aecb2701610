import qrcode from 'qrcode-generator';
import { escapeHtml, raw, type SafeHtml } from './html.ts';

/** QR payloads longer than this are no payment string; a QR code of them would be unscannable anyway. */
const MAX_QR_LENGTH = 1000;

/**
 * The QR code of `data` as an inline SVG (no image request, nothing for the CSP to allow): one
 * path of horizontal runs of dark modules, with the 4-module quiet zone scanners need. Null when
 * the data cannot be encoded.
 */
export function qrSvg(data: string, label: string): SafeHtml | null {
  if (data.length === 0 || data.length > MAX_QR_LENGTH) return null;
  const qr = qrcode(0, 'M');
  try {
    qr.addData(data);
    qr.make();
  } catch {
    return null;
  }
  const count = qr.getModuleCount();
  const margin = 4;
  const size = count + margin * 2;
  let path = '';
  for (let row = 0; row < count; row++) {
    let col = 0;
    while (col < count) {
      if (!qr.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < count && qr.isDark(row, col)) col++;
      path += `M${start + margin} ${row + margin}h${col - start}v1h-${col - start}z`;
    }
  }
  return raw(
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size} ${size}" ` +
      `role="img" aria-label="${escapeHtml(label)}" shape-rendering="crispEdges">` +
      `<rect width="${size}" height="${size}" fill="#fff"/><path fill="#000" d="${path}"/></svg>`,
  );
}
