import { html } from '../../pages/html.ts';

/**
 * The customer auth e-mails, in Indonesian like the hosted buyer pages. Text and HTML say the same
 * thing; everything from the store or the request is escaped in the HTML part.
 */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

function layout(storeName: string, body: ReturnType<typeof html>): string {
  return html`<!doctype html>
<html lang="id"><body style="font-family:Arial,Helvetica,sans-serif;color:#1f2933;line-height:1.5">
<div style="max-width:480px;margin:0 auto;padding:24px">
<p style="font-size:18px;font-weight:bold;margin:0 0 16px">${storeName}</p>
${body}
</div></body></html>`.toString();
}

export function loginOtpMail(input: { storeName: string; code: string; validMinutes: number }): RenderedMail {
  const { storeName, code, validMinutes } = input;
  return {
    subject: `${code} adalah kode masuk Anda di ${storeName}`,
    text: [
      `Kode masuk Anda di ${storeName}: ${code}`,
      '',
      `Kode ini berlaku ${validMinutes} menit dan hanya bisa dipakai sekali. Jangan berikan kode ini kepada siapa pun.`,
      '',
      'Jika Anda tidak sedang masuk ke akun Anda, abaikan e-mail ini.',
    ].join('\n'),
    html: layout(
      storeName,
      html`<p>Kode masuk Anda:</p>
<p style="font-size:28px;font-weight:bold;letter-spacing:6px;margin:8px 0 16px">${code}</p>
<p>Kode ini berlaku ${validMinutes} menit dan hanya bisa dipakai sekali. Jangan berikan kode ini kepada siapa pun.</p>
<p style="color:#616e7c">Jika Anda tidak sedang masuk ke akun Anda, abaikan e-mail ini.</p>`,
    ),
  };
}

export function passwordResetMail(input: {
  storeName: string;
  link: string;
  validMinutes: number;
}): RenderedMail {
  const { storeName, link, validMinutes } = input;
  return {
    subject: `Atur ulang kata sandi Anda di ${storeName}`,
    text: [
      `Kami menerima permintaan untuk mengatur ulang kata sandi akun Anda di ${storeName}.`,
      '',
      'Buka tautan ini untuk membuat kata sandi baru:',
      link,
      '',
      `Tautan ini berlaku ${validMinutes} menit dan hanya bisa dipakai sekali.`,
      'Jika Anda tidak memintanya, abaikan e-mail ini: kata sandi Anda tidak berubah.',
    ].join('\n'),
    html: layout(
      storeName,
      html`<p>Kami menerima permintaan untuk mengatur ulang kata sandi akun Anda di ${storeName}.</p>
<p><a href="${link}" style="display:inline-block;background:#1f6feb;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none">Buat kata sandi baru</a></p>
<p style="word-break:break-all;color:#616e7c">${link}</p>
<p>Tautan ini berlaku ${validMinutes} menit dan hanya bisa dipakai sekali.</p>
<p style="color:#616e7c">Jika Anda tidak memintanya, abaikan e-mail ini: kata sandi Anda tidak berubah.</p>`,
    ),
  };
}

/** After `setCustomerPassword`: lets the mailbox owner notice a change they did not make. */
export function passwordChangedMail(input: { storeName: string }): RenderedMail {
  const { storeName } = input;
  const notYou =
    'Jika bukan Anda yang mengubahnya, segera pilih "Lupa kata sandi" di halaman masuk toko: tautan untuk membuat kata sandi baru dikirim ke alamat e-mail ini.';
  return {
    subject: `Kata sandi akun Anda di ${storeName} telah diubah`,
    text: [
      `Kata sandi akun Anda di ${storeName} baru saja diubah, dan semua sesi sebelumnya telah dikeluarkan.`,
      '',
      'Jika Anda yang mengubahnya, abaikan e-mail ini.',
      notYou,
    ].join('\n'),
    html: layout(
      storeName,
      html`<p>Kata sandi akun Anda di ${storeName} baru saja diubah, dan semua sesi sebelumnya telah dikeluarkan.</p>
<p>Jika Anda yang mengubahnya, abaikan e-mail ini.</p>
<p style="color:#616e7c">${notYou}</p>`,
    ),
  };
}
