import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { html, raw, type SafeHtml } from './html.ts';

/**
 * One small stylesheet, inline so the page needs no other request; allowed by a per-response
 * nonce. Mobile first: one column, large tap targets, long numbers that wrap instead of overflowing.
 */
const STYLE = `
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f4f5f7;color:#1c1e21;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;overflow-wrap:anywhere}
main{max-width:560px;margin:0 auto;padding:16px}
header{margin:8px 0 16px}
.store{font-size:14px;color:#5f6368;margin:0}
h1{font-size:22px;margin:2px 0 8px}
h2{font-size:17px;margin:0 0 12px}
section{background:#fff;border-radius:12px;padding:16px;margin:0 0 12px;box-shadow:0 1px 2px rgba(0,0,0,.06)}
.badges{display:flex;flex-wrap:wrap;gap:8px}
.badge{display:inline-block;padding:4px 10px;border-radius:999px;font-size:13px;font-weight:600;background:#e8eaed}
.badge.ok{background:#e6f4ea;color:#137333}.badge.warn{background:#fef7e0;color:#8a5a00}.badge.bad{background:#fce8e6;color:#a50e0e}
.notice{border-radius:12px;padding:12px 16px;margin:0 0 12px;font-weight:600}
.notice.ok{background:#e6f4ea;color:#137333}.notice.bad{background:#fce8e6;color:#a50e0e}.notice.info{background:#e8f0fe;color:#174ea6}
.amount{font-size:28px;font-weight:700;margin:4px 0;letter-spacing:.3px}
.muted{color:#5f6368;font-size:14px}
.account{border:1px solid #e0e3e7;border-radius:10px;padding:12px;margin:8px 0}
.account .bank{font-weight:600}
.number{font:600 22px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:1px;word-break:break-all}
.copyable{display:flex;align-items:center;justify-content:space-between;gap:12px}
.copy{flex:none;min-width:72px;min-height:40px;padding:8px 14px;border:1px solid #1a73e8;border-radius:8px;background:#fff;color:#1a73e8;font-family:inherit;font-size:14px;font-weight:600;line-height:1;cursor:pointer}
.copy.done{background:#e6f4ea;border-color:#137333;color:#137333}
.copy[hidden]{display:none}
.badge.test{background:#fff3cd;color:#7a4a00;border:1px dashed #b26a00}
.notice.test{background:#fff8e1;color:#7a4a00;border:1px dashed #b26a00;font-weight:500}
.qr{display:block;width:100%;max-width:280px;height:auto;margin:8px auto;image-rendering:pixelated}
.button{display:block;width:100%;text-align:center;padding:14px 16px;margin:8px 0;border:0;border-radius:10px;background:#1a73e8;color:#fff;font-family:inherit;font-size:16px;font-weight:600;line-height:1.2;text-decoration:none;cursor:pointer}
.button.secondary{background:#fff;color:#1a73e8;border:1px solid #1a73e8}
form{margin:0}
ul.items{list-style:none;margin:0;padding:0}
ul.items li{display:flex;justify-content:space-between;gap:12px;padding:8px 0;border-bottom:1px solid #f1f3f4}
ul.items li:last-child{border-bottom:0}
.item-name{font-weight:600}
.price{white-space:nowrap;text-align:right}
dl.totals{display:grid;grid-template-columns:1fr auto;gap:6px 0;margin:0}
dl.totals dt{color:#5f6368}dl.totals dd{margin:0;padding-left:12px;text-align:right;white-space:nowrap}
dl.totals .total{font-weight:700;color:#1c1e21;font-size:18px;border-top:1px solid #e0e3e7;padding-top:8px}
ol.steps{margin:8px 0 0;padding-left:20px}
footer{text-align:center;color:#5f6368;font-size:13px;margin:16px 0 32px}
`;

/**
 * Headers every hosted page sends: nothing loads from elsewhere, nothing leaks, and nothing runs
 * but the page's own script when it has one (allowed by the response's nonce, never inline at large).
 */
function securityHeaders(
  reply: FastifyReply,
  nonce: string,
  withScript: boolean,
  formTargets: readonly string[],
): void {
  const script = withScript ? `script-src 'nonce-${nonce}'; ` : '';
  // Browsers apply form-action to a form's redirects too: the OAuth consent form ends at the client.
  const formAction = ["'self'", ...formTargets].join(' ');
  reply
    .header(
      'content-security-policy',
      `default-src 'none'; ${script}style-src 'nonce-${nonce}'; img-src 'self' data:; form-action ${formAction}; ` +
        "base-uri 'none'; frame-ancestors 'none'",
    )
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    // Order pages are private to whoever holds the link: no shared caches, no search engines.
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex, nofollow');
}

/**
 * Sends a page; `script` is one of this server's constant scripts (e.g. `COPY_SCRIPT`), never input;
 * `formTargets` are origins the page's forms may end at after a redirect.
 */
export function sendPage(
  reply: FastifyReply,
  status: number,
  title: string,
  body: SafeHtml,
  script?: string,
  formTargets: readonly string[] = [],
): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  securityHeaders(reply, nonce, script !== undefined, formTargets);
  const page = html`<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<link rel="icon" href="data:,">
<title>${title}</title>
<style nonce="${nonce}">${raw(STYLE)}</style>
</head>
<body>
<main>
${body}
</main>
${script === undefined ? null : html`<script nonce="${nonce}">${raw(script)}</script>`}
</body>
</html>
`;
  return reply.code(status).type('text/html; charset=utf-8').send(page.value);
}

/** A friendly error page (unknown order link, something went wrong) in the buyer's language. */
export function sendErrorPage(reply: FastifyReply, status: number): FastifyReply {
  const [title, text] =
    status === 404
      ? [
          'Pesanan tidak ditemukan',
          'Tautan pesanan ini tidak dikenal. Periksa kembali tautan dari penjual atau email konfirmasi Anda.',
        ]
      : status === 429
        ? ['Terlalu banyak permintaan', 'Mohon tunggu sebentar, lalu muat ulang halaman ini.']
        : status < 500
          ? ['Permintaan tidak dapat diproses', 'Periksa kembali tautan Anda, lalu coba lagi.']
          : [
              'Terjadi gangguan',
              'Maaf, halaman ini sedang tidak dapat ditampilkan. Silakan coba lagi beberapa saat lagi.',
            ];
  return sendPage(reply, status, title, html`<section><h1>${title}</h1><p>${text}</p></section>`);
}
