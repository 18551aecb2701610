import qrcode from 'qrcode-generator';
import { describe, expect, it } from 'vitest';
import { toCents } from '../../../src/lib/money.ts';
import type { PublicOrder } from '../../../src/modules/orders/schemas.ts';
import { COPY_SCRIPT, copyableNumber, copyButton, hasCopyButtons } from '../../../src/pages/copy.ts';
import { jakartaTime, rupiah } from '../../../src/pages/format.ts';
import { escapeHtml, html, raw, safeHref } from '../../../src/pages/html.ts';
import { totalRows } from '../../../src/pages/order-page.ts';
import { readPaymentInfo } from '../../../src/pages/payment-instructions.ts';
import { qrSvg } from '../../../src/pages/qr.ts';

describe('html``', () => {
  it('escapes interpolated values by default and keeps nested templates', () => {
    const name = `<b onclick="x">'&'</b>`;
    const out = html`<p title="${name}">${name}${html`<i>${'<'}</i>`}${[1, html`<br>`, null, false, undefined]}</p>`;
    expect(out.value).toBe(
      '<p title="&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;">' +
        '&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;<i>&lt;</i>1<br></p>',
    );
    expect(html`${raw('<svg/>')}`.value).toBe('<svg/>');
    expect(escapeHtml('`')).toBe('&#96;');
  });

  it('lets only web and app links through safeHref', () => {
    expect(safeHref('https://pay.example/x')).toBe('https://pay.example/x');
    expect(safeHref('gojek://gopay/pay?id=1')).toBe('gojek://gopay/pay?id=1');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,x',
      '//evil',
      'a b',
      '',
      42,
      null,
    ]) {
      expect(safeHref(bad), String(bad)).toBeNull();
    }
  });
});

describe('rupiah', () => {
  it('formats decimal strings the Indonesian way', () => {
    expect(rupiah('150000.00')).toBe('Rp150.000');
    expect(rupiah('149724')).toBe('Rp149.724');
    expect(rupiah('1234567.5')).toBe('Rp1.234.567,50');
    expect(rupiah('0')).toBe('Rp0');
    expect(rupiah('999')).toBe('Rp999');
    expect(rupiah('-276.00')).toBe('-Rp276');
    expect(rupiah('90071992547409931.01')).toBe('Rp90.071.992.547.409.931,01');
  });

  it('shows times in Jakarta', () => {
    expect(jakartaTime('2030-05-06T07:08:09.000Z')).toMatch(/^6 Mei 2030.*14[.:]08 WIB$/);
  });
});

describe('qrSvg', () => {
  it('draws exactly the modules of the QR code, with a quiet zone', () => {
    const data = '00020101021226570011ID.CO.QRIS.WWW0215ID10260000000010303UMI5204581253033605802ID6304ABCD';
    const svg = qrSvg(data, 'QRIS <test>')!.value;
    const reference = qrcode(0, 'M');
    reference.addData(data);
    reference.make();
    const count = reference.getModuleCount();
    expect(svg).toContain(`viewBox="0 0 ${count + 8} ${count + 8}"`);
    expect(svg).toContain('aria-label="QRIS &lt;test&gt;"');
    let dark = 0;
    for (let r = 0; r < count; r++) for (let c = 0; c < count; c++) if (reference.isDark(r, c)) dark++;
    const drawn = [...svg.matchAll(/h(\d+)v1/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(drawn).toBe(dark);
  });

  it('gives up on data no QR code should hold', () => {
    expect(qrSvg('', 'x')).toBeNull();
    expect(qrSvg('x'.repeat(1001), 'x')).toBeNull();
  });
});

describe('readPaymentInfo', () => {
  it('reads the shapes storefront clients read, nested or top-level', () => {
    expect(
      readPaymentInfo({
        payment_method: {
          qr_code: { channel_properties: { qr_string: 'QR' } },
          virtual_account: { channel_code: 'BRI', channel_properties: { virtual_account_number: '26215' } },
          over_the_counter: { channel_properties: { payment_code: 'CODE' } },
        },
        actions: [{ url_type: 'mobile', url: 'https://m.example' }, 'junk', { url: 5 }],
        invoice_url: 'https://inv.example',
      }),
    ).toEqual({
      qrString: 'QR',
      vaNumber: '26215',
      vaBank: 'BRI',
      paymentCode: 'CODE',
      actions: [{ urlType: 'MOBILE', url: 'https://m.example' }],
      invoiceUrl: 'https://inv.example',
    });
    expect(readPaymentInfo({ qr_string: 'TOP', payment_method: 'weird', actions: 'no' })).toMatchObject({
      qrString: 'TOP',
      vaNumber: null,
      actions: [],
    });
  });
});

describe('copy buttons', () => {
  it('copy what a banking app takes: the digits of a number, a code as it is', () => {
    expect(copyableNumber('8808 1234-5678.90')).toBe('88081234567890');
    expect(copyableNumber('1234567890')).toBe('1234567890');
    expect(copyableNumber(' NXSALF123456 ')).toBe('NXSALF123456');
  });

  it('escape the value they copy and start hidden until the script shows them', () => {
    const button = copyButton('"><img src=x>', 'kode pembayaran').value;
    expect(button).toContain('data-copy="&quot;&gt;&lt;img src=x&gt;"');
    expect(button).toContain('title="Salin kode pembayaran"');
    expect(button).toMatch(/ hidden>Salin<\/button>$/);
  });

  it('are found only where the server put one, never in text someone typed', () => {
    expect(hasCopyButtons(html`<div>${copyButton('123', 'x')}</div>`)).toBe(true);
    expect(hasCopyButtons(html`<p>${'<button data-copy="1">'}</p>`)).toBe(false);
    expect(hasCopyButtons(html`<p>data-copy="1"</p>`)).toBe(false);
  });

  it('ship a script that cannot end its own script element and falls back without the Clipboard API', () => {
    expect(COPY_SCRIPT).not.toMatch(/<\/script/i);
    expect(COPY_SCRIPT).toContain('navigator.clipboard');
    expect(COPY_SCRIPT).toContain("execCommand('copy')");
  });
});

describe('totalRows', () => {
  const order = (totals: Partial<PublicOrder>) =>
    ({
      product_price: '0',
      product_discount: '0',
      shipping_cost: '0',
      shipping_discount: '0',
      discount_code_discount: '0',
      discount_code_code: null,
      unique_code_discount: '0',
      other_income: '0',
      other_income_name: null,
      courier_service: null,
      ...totals,
    }) as PublicOrder;
  const sum = (rows: Array<[string, string]>) =>
    rows.reduce((cents, [, amount]) => cents + toCents(amount), 0n);

  it('add up to gross_revenue, the e-payment service fee included', () => {
    const rows = totalRows(
      order({
        product_price: '316000.00',
        shipping_cost: '5700.00',
        discount_code_code: 'HEMAT10',
        discount_code_discount: '25000.00',
        other_income: '2000.00',
        other_income_name: 'Biaya packing',
      }),
      '3290.00',
    );
    expect(rows).toEqual([
      ['Subtotal produk', '316000.00'],
      ['Ongkos kirim', '5700.00'],
      ['Kode diskon HEMAT10', '-25000.00'],
      ['Biaya packing', '2000.00'],
      ['Biaya layanan pembayaran', '3290.00'],
    ]);
    expect(sum(rows)).toBe(toCents('301990.00'));
  });

  it('leave out what is zero, the service fee of a bank transfer included', () => {
    const rows = totalRows(order({ product_price: '150000.00', unique_code_discount: '276.00' }), '0.00');
    expect(rows).toEqual([
      ['Subtotal produk', '150000.00'],
      ['Kode unik', '-276.00'],
    ]);
  });
});
