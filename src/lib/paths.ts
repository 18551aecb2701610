import path from 'node:path';

/** The repository root, whatever the working directory. */
export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * The reference postal-code file shipped beside the repository (MIT licensed, not copied in).
 * `NEXUS_POSTAL_CODES_CSV` points elsewhere.
 */
export function defaultPostalCodesFile(): string {
  return process.env.NEXUS_POSTAL_CODES_CSV ?? path.resolve(REPO_ROOT, '../shared/data/id-postal-codes.csv');
}
