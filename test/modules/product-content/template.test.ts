import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src/lib/ids.ts';
import {
  generateFollowUpChats,
  priceText,
} from '../../../src/modules/product-content/follow-up-generator.ts';
import { excerpt, formatRupiah, renderTemplate } from '../../../src/modules/product-content/template.ts';

describe('follow-up template engine', () => {
  it('fills known placeholders and keeps the others for send time', () => {
    expect(renderTemplate('Halo {{customer_name}}, {{ product_name }} siap!', { product_name: 'Kopi' })).toBe(
      'Halo {{customer_name}}, Kopi siap!',
    );
  });

  it('escapes substituted values so they never become placeholders later', () => {
    const partial = renderTemplate('Produk: {{product_name}} untuk {{customer_name}}', {
      product_name: 'Promo {{order_id}} \\o/',
    });
    expect(partial).toBe('Produk: Promo \\{\\{order_id}} \\\\o/ untuk {{customer_name}}');
    expect(renderTemplate(partial, { customer_name: 'Budi', order_id: 'X1' }, { final: true })).toBe(
      'Produk: Promo {{order_id}} \\o/ untuk Budi',
    );
  });

  it('treats \\{ as a literal brace', () => {
    expect(renderTemplate('\\{{product_name}}', { product_name: 'Kopi' })).toBe('\\{{product_name}}');
    expect(renderTemplate('\\{{product_name}}', { product_name: 'Kopi' }, { final: true })).toBe(
      '{{product_name}}',
    );
  });

  it('formats Rupiah with thousands dots', () => {
    expect(formatRupiah('150000.00')).toBe('Rp150.000');
    expect(formatRupiah('1250000')).toBe('Rp1.250.000');
    expect(formatRupiah('999.5')).toBe('Rp999,50');
    expect(formatRupiah('0')).toBe('Rp0');
    expect(priceText(['275000.00', '150000.00'])).toBe('mulai Rp150.000');
    expect(priceText(['150000.00', '150000'])).toBe('Rp150.000');
  });

  it('cuts long descriptions at a word boundary', () => {
    expect(excerpt('satu dua tiga', 200)).toBe('satu dua tiga');
    expect(excerpt(`${'kata '.repeat(60)}`, 20)).toBe('kata kata kata kata…');
    expect(excerpt(null)).toBe('');
  });

  it('generates the five-step sequence without blank gaps', () => {
    const chats = generateFollowUpChats({
      name: 'Kopi',
      prices: ['50000'],
      contents: [],
      choices: [],
      description: null,
    });
    expect(chats).toHaveLength(5);
    for (const chat of chats) {
      for (const text of [chat.text_for_bank_transfer, chat.text_for_cod, chat.text_for_epayment]) {
        expect(text).not.toMatch(/\n{3,}/);
        expect(text).not.toContain('{{product_name}}');
      }
    }
    expect(chats[0]!.text_for_cod).toContain('Harga: Rp50.000');
  });
});

describe('uuidv7', () => {
  it('is a version 7 UUID that sorts by creation time', () => {
    const early = uuidv7(1_700_000_000_000);
    const late = uuidv7(1_700_000_000_001);
    expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(early < late).toBe(true);
  });
});
