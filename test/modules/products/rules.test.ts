import { describe, expect, it } from 'vitest';
import { nextFreeSlug, slugify } from '../../../src/modules/products/slug.ts';
import { parseTaxonomy, readTaxonomyFile } from '../../../src/modules/products/taxonomy-data.ts';
import { checkVariants, type VariantState } from '../../../src/modules/products/variant-rules.ts';

const variant = (overrides: Partial<VariantState> = {}): VariantState => ({
  index: 0,
  id: null,
  option_values: [null, null, null],
  pricing_type: 'one_time',
  interval: null,
  interval_count: null,
  validity_period: null,
  validity_period_unit: null,
  ...overrides,
});

describe('slugs', () => {
  it('folds names to lower-case ASCII words joined by hyphens', () => {
    expect(slugify('  Kopi Susu -- Gula Aren 250ml! ')).toBe('kopi-susu-gula-aren-250ml');
    expect(slugify('Sépatu Ñike')).toBe('sepatu-nike');
    expect(slugify('日本')).toBe('product');
    expect(slugify('a '.repeat(100))).toHaveLength(99);
    expect(slugify('a '.repeat(100)).endsWith('-')).toBe(false);
  });

  it('suffixes the first free number', () => {
    expect(nextFreeSlug('kopi', new Set())).toBe('kopi');
    expect(nextFreeSlug('kopi', new Set(['kopi', 'kopi-2', 'kopi-4']))).toBe('kopi-3');
  });
});

describe('taxonomy data', () => {
  it('parses the shipped file into a tree whose parents come first', () => {
    const rows = readTaxonomyFile();
    expect(rows).toHaveLength(5582);
    const seen = new Set<number>();
    for (const row of rows) {
      if (row.parent_id !== null) expect(seen.has(row.parent_id)).toBe(true);
      seen.add(row.id);
    }
    expect(rows.filter((row) => row.level === 1).map((row) => row.name)).toContain('Health & Beauty');
  });

  it('refuses malformed data rather than loading half a tree', () => {
    expect(() => parseTaxonomy('id\tfull_path\n2\tA > B\n1\tA\n')).toThrow(/before its parent/);
    expect(() => parseTaxonomy('id\tfull_path\nx\tA\n')).toThrow(/Malformed/);
    expect(() => parseTaxonomy('id\tfull_path\n1\tA\n2\tA\n')).toThrow(/repeated/);
    expect(() => parseTaxonomy(`id\tfull_path\n1\t${Array(8).fill('A').join(' > ')}\n`)).toThrow(
      /invalid path/,
    );
  });
});

describe('variant rules', () => {
  it('names stored variants that no longer fit by id', () => {
    const errors = checkVariants({ itemType: 'physical', optionNames: [null, null, null] }, [
      variant({ index: null, id: 7, option_values: ['Merah', null, null] }),
    ]);
    expect(errors.variants).toEqual(['variant 7: must be empty because the product has no option1_name']);
  });

  it('accepts three options spanning distinct combinations', () => {
    const v = (a: string, b: string, c: string, index: number) =>
      variant({ index, option_values: [a, b, c] });
    expect(
      checkVariants({ itemType: 'physical', optionNames: ['Warna', 'Ukuran', 'Bahan'] }, [
        v('Merah', 'S', 'Katun', 0),
        v('Merah', 'S', 'Linen', 1),
        v('Merah', 'M', 'Katun', 2),
      ]),
    ).toEqual({});
    expect(
      checkVariants({ itemType: 'physical', optionNames: ['Warna', null, 'Bahan'] }, [
        v('Merah', '', 'Katun', 0),
      ]),
    ).toHaveProperty(['option3_name']);
  });
});
