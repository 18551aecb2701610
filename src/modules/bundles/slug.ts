import { randomString } from '../../lib/ids.ts';

const SLUG_MAX = 80;

/** `Paket Hemat Ramadhan!` -> `paket-hemat-ramadhan`; accents are folded, anything else becomes a hyphen. */
export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, SLUG_MAX)
    .replace(/^-+|-+$/g, '');
  return slug || 'paket';
}

/** `base`, else `base-2`, `base-3`, ...: the first not in `taken`. */
export function firstFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** When a concurrent request took the chosen slug, a random suffix avoids a second collision. */
export function randomSlug(base: string): string {
  return `${base}-${randomString(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
}
