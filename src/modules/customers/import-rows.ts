import { dateOfBirthProblem, isEmailAddress, isPhoneNumber, phoneKeyOf } from '../../lib/contact.ts';
import { hasControlCharacters } from '../../lib/text.ts';

/**
 * One CSV row of the customer import, checked on its own: what the header names, what each cell
 * must look like, and the key that matches it to an existing customer. No database here.
 */

/** The columns the import reads, by their header name (case-insensitive; spaces and `-` read as `_`). */
export const IMPORT_COLUMNS = [
  'name',
  'email',
  'phone',
  'tags',
  'notes',
  'date_of_birth',
  'sex',
  'address',
  'postal_code',
  'location_id',
] as const;

export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Order vocabulary (`customer_name`, ...) is accepted too, so an order export can be imported as is. */
const ALIASES: Record<string, ImportColumn> = {
  customer_name: 'name',
  customer_email: 'email',
  e_mail: 'email',
  customer_phone: 'phone',
  phone_number: 'phone',
};

export const LIMITS = {
  name: 255,
  notes: 5000,
  tag: 50,
  tags: 50,
  address: 1000,
  postalCode: 10,
} as const;

const LOCATION_ID = /^\d{1,9}$/;
const TAG_SEPARATOR = /[;|]/;

/** `sex` is free text in the contract; stored trimmed and lower-cased, as the business API stores it. */
const SEX_MAX_LENGTH = 32;

export interface ImportAddress {
  address: string;
  postalCode: string | null;
  locationId: number | null;
}

export interface CustomerImportRow {
  /** Line of the file the row starts on (the header is line 1). */
  row: number;
  name: string;
  /** Lower-cased. */
  email: string | null;
  /** As written (trimmed), the way checkout stores it. */
  phone: string | null;
  /** The phone's digits (and leading `+`): what rows without an e-mail are matched on. */
  phoneKey: string | null;
  tags: string[];
  notes: string | null;
  /** `YYYY-MM-DD`. */
  dateOfBirth: string | null;
  /** Lower-cased. */
  sex: string | null;
  address: ImportAddress | null;
}

export type RowResult = { ok: true; value: CustomerImportRow } | { ok: false; reasons: string[] };

/** Which cell of a record holds each known column; unknown columns are ignored. */
export type ColumnMap = Partial<Record<ImportColumn, number>>;

export type HeaderResult = { ok: true; columns: ColumnMap } | { ok: false; problem: string };

export function normalizeHeader(cell: string): string {
  return cell
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export function readHeader(cells: string[]): HeaderResult {
  const columns: ColumnMap = {};
  for (const [index, cell] of cells.entries()) {
    const normalized = normalizeHeader(cell);
    const column = (IMPORT_COLUMNS as readonly string[]).includes(normalized)
      ? (normalized as ImportColumn)
      : ALIASES[normalized];
    if (!column) continue;
    if (columns[column] !== undefined) return { ok: false, problem: `has the ${column} column twice` };
    columns[column] = index;
  }
  if (columns.name === undefined) return { ok: false, problem: 'has no name column in its header row' };
  if (columns.email === undefined && columns.phone === undefined)
    return { ok: false, problem: 'has neither an email nor a phone column in its header row' };
  return { ok: true, columns };
}

function hasTag(tags: string[], tag: string): boolean {
  const lower = tag.toLowerCase();
  return tags.some((existing) => existing.toLowerCase() === lower);
}

function cell(record: string[], columns: ColumnMap, column: ImportColumn): string | null {
  const index = columns[column];
  if (index === undefined) return null;
  const value = record[index]?.trim();
  return value ? value : null;
}

/** Tags of one cell: trimmed, blanks dropped, repeats (ignoring case) kept once in their first spelling. */
function splitTags(text: string | null, reasons: string[]): string[] {
  if (!text) return [];
  const tags: string[] = [];
  for (const part of text.split(TAG_SEPARATOR)) {
    const tag = part.trim();
    if (!tag || hasTag(tags, tag)) continue;
    if (tag.length > LIMITS.tag) {
      reasons.push(`tags "${tag.slice(0, 20)}…" is longer than ${LIMITS.tag} characters`);
      continue;
    }
    tags.push(tag);
  }
  if (tags.length > LIMITS.tags) reasons.push(`tags has more than ${LIMITS.tags} tags`);
  return tags;
}

function readAddress(record: string[], columns: ColumnMap, reasons: string[]): ImportAddress | null {
  const address = cell(record, columns, 'address');
  const postalCode = cell(record, columns, 'postal_code');
  const location = cell(record, columns, 'location_id');
  if (!address) {
    if (postalCode || location)
      reasons.push("address can't be blank when postal_code or location_id is given");
    return null;
  }
  if (address.length > LIMITS.address) reasons.push(`address is longer than ${LIMITS.address} characters`);
  if (postalCode && postalCode.length > LIMITS.postalCode)
    reasons.push(`postal_code is longer than ${LIMITS.postalCode} characters`);
  if (location && !LOCATION_ID.test(location)) reasons.push('location_id is not a location id');
  return {
    address,
    postalCode,
    locationId: location && LOCATION_ID.test(location) ? Number(location) : null,
  };
}

/**
 * Validates one record against the header's columns. `today` (`YYYY-MM-DD`) bounds the date of
 * birth. Every problem of the row is listed, each starting with the column it is about.
 */
export function readRow(record: string[], columns: ColumnMap, row: number, today: string): RowResult {
  const reasons: string[] = [];
  // PostgreSQL cannot store U+0000 at all; past the first bytes a file is not sniffed for it.
  for (const [column, index] of Object.entries(columns)) {
    if (record[index]?.includes('\u0000')) reasons.push(`${column} contains the NUL character`);
  }
  if (reasons.length > 0) return { ok: false, reasons };
  const name = cell(record, columns, 'name');
  if (!name) reasons.push("name can't be blank");
  else if (name.length > LIMITS.name) reasons.push(`name is longer than ${LIMITS.name} characters`);
  else if (hasControlCharacters(name)) reasons.push('name contains control characters');

  const emailText = cell(record, columns, 'email');
  const email = emailText?.toLowerCase() ?? null;
  if (email && !isEmailAddress(email)) reasons.push('email is not an e-mail address');

  const phone = cell(record, columns, 'phone');
  const phoneKey = phone ? phoneKeyOf(phone) : null;
  if (phone && !isPhoneNumber(phone)) reasons.push('phone is not a phone number');
  if (!email && !phone) reasons.push('email or phone is required to identify the customer');

  const tags = splitTags(cell(record, columns, 'tags'), reasons);
  const notes = cell(record, columns, 'notes');
  if (notes && notes.length > LIMITS.notes) reasons.push(`notes is longer than ${LIMITS.notes} characters`);

  const dateOfBirth = cell(record, columns, 'date_of_birth');
  const dateProblem = dateOfBirth ? dateOfBirthProblem(dateOfBirth, today) : null;
  if (dateProblem) reasons.push(`date_of_birth ${dateProblem}`);

  const sex = cell(record, columns, 'sex')?.toLowerCase() ?? null;
  if (sex && sex.length > SEX_MAX_LENGTH) reasons.push(`sex is longer than ${SEX_MAX_LENGTH} characters`);
  else if (sex && hasControlCharacters(sex)) reasons.push('sex contains control characters');

  const address = readAddress(record, columns, reasons);
  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    value: { row, name: name!, email, phone, phoneKey, tags, notes, dateOfBirth, sex, address },
  };
}

/** The key two rows of one file share when they are the same customer. */
export function rowKey(row: CustomerImportRow): string {
  return row.email ? `e:${row.email}` : `p:${row.phoneKey}`;
}

/**
 * Two rows of one file for the same customer become one: the later row's filled cells win, tags
 * add up, and the later address (if any) is the one kept.
 */
export function mergeRows(earlier: CustomerImportRow, later: CustomerImportRow): CustomerImportRow {
  return {
    row: earlier.row,
    name: later.name,
    email: earlier.email ?? later.email,
    phone: later.phone ?? earlier.phone,
    phoneKey: later.phone ? later.phoneKey : earlier.phoneKey,
    tags: [...earlier.tags, ...later.tags.filter((tag) => !hasTag(earlier.tags, tag))],
    notes: later.notes ?? earlier.notes,
    dateOfBirth: later.dateOfBirth ?? earlier.dateOfBirth,
    sex: later.sex ?? earlier.sex,
    address: later.address ?? earlier.address,
  };
}
