/** Longest generated slug; client slugs may be up to the schema's 120 characters. */
const MAX_GENERATED = 100;

/** "Kopi Susu Gula Aren 250ml" -> "kopi-susu-gula-aren-250ml"; accents fold to ASCII. */
export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_GENERATED)
    .replace(/-+$/, '');
  // A name with no Latin letters or digits (e.g. only emoji) still needs a usable slug.
  return slug || 'product';
}

/** `base` when free, else the first free `base-2`, `base-3`, ... */
export function nextFreeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
