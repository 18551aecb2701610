import { describe, expect, it } from 'vitest';
import { escapeLike } from '../../../src/db/like.ts';
import { parseLocationSearch } from '../../../src/modules/locations/service.ts';

describe('parseLocationSearch', () => {
  it('lower-cases and splits on whitespace and commas', () => {
    expect(parseLocationSearch('  Cempaka Putih,  Jakarta ,,Pusat ')).toEqual({
      tokens: ['cempaka', 'putih', 'jakarta', 'pusat'],
      phrase: 'cempaka putih jakarta pusat',
    });
  });

  it('treats a blank search as no search', () => {
    expect(parseLocationSearch(undefined)).toBeNull();
    expect(parseLocationSearch(' , \t ')).toBeNull();
  });

  it('caps the number and the length of tokens', () => {
    const parsed = parseLocationSearch(`${'a'.repeat(100)} b c d e f g h i j`);
    expect(parsed?.tokens).toHaveLength(8);
    expect(parsed?.tokens[0]).toBe('a'.repeat(64));
    expect(parsed?.tokens.at(-1)).toBe('h');
  });
});

describe('escapeLike', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(escapeLike('50%_off\\')).toBe('50\\%\\_off\\\\');
  });
});
