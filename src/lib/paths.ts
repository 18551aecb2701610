import path from 'node:path';

/** The repository root, whatever the working directory. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The postal-code file the repository ships (MIT licensed, gzip-compressed; see
 * `src/modules/locations/reference/README.md`). `NEXUS_POSTAL_CODES_CSV` points elsewhere.
 */
export function defaultPostalCodesFile(): string {
  return (
    process.env.NEXUS_POSTAL_CODES_CSV ??
    path.join(REPO_ROOT, 'src', 'modules', 'locations', 'reference', 'id-postal-codes.csv.gz')
  );
}
