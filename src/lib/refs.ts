import { isUuid } from './ids.ts';

/**
 * Path parameters that name a record in several ways (`/v3/variants/{id}` takes `123`, the uuid or
 * `variant_…`). Parsing never throws: text that cannot name a record gives null, which callers
 * answer with 404, so odd input never reaches the database as a type error.
 */
const NUMERIC_ID = /^[1-9]\d{0,15}$/;

/** A positive integer a JS number holds exactly, else null. */
export function parseNumericId(text: string): number | null {
  if (!NUMERIC_ID.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) ? id : null;
}

export type RecordRef = { id: number } | { uuid: string } | { unique_id: string };

/** Numeric id, else uuid (lower-cased), else a prefixed unique id (`variant_…`) when one is expected. */
export function parseRecordRef(text: string, uniqueIdPrefix?: string): RecordRef | null {
  const id = parseNumericId(text);
  if (id !== null) return { id };
  if (isUuid(text)) return { uuid: text.toLowerCase() };
  if (uniqueIdPrefix && text.startsWith(uniqueIdPrefix) && text.length <= 64) return { unique_id: text };
  return null;
}
