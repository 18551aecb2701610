/**
 * How customer and address fields are cleaned before they are stored, shared by the business routes,
 * the customer's own account routes and the address service. Each helper records a problem in
 * `fieldErrors` under the field's name instead of throwing, so one answer lists every mistake.
 */
import type { FieldErrors } from '../../http/errors.ts';
import { dateOfBirthProblem, isEmailAddress, isPhoneNumber, todayIso } from '../../lib/contact.ts';
import { hasControlCharacters } from '../../lib/text.ts';

export const TAG_MAX_LENGTH = 50;
export const MAX_TAGS = 50;

function add(fieldErrors: FieldErrors, field: string, problem: string): void {
  const list = fieldErrors[field] ?? [];
  list.push(problem);
  fieldErrors[field] = list;
}

/** Trimmed text, or null when nothing is left. */
export function cleanText(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** A name that must be present: trimmed, not blank, on one line. */
export function requiredName(value: string | undefined, field: string, fieldErrors: FieldErrors): string {
  const name = cleanText(value);
  if (!name) add(fieldErrors, field, "can't be blank");
  else if (hasControlCharacters(name)) add(fieldErrors, field, 'must be on one line');
  return name ?? '';
}

/** Phone kept as typed (trimmed), like checkout stores it; blank means none. */
export function cleanPhone(value: string | null | undefined, field: string, fieldErrors: FieldErrors) {
  const phone = cleanText(value);
  if (phone && !isPhoneNumber(phone)) add(fieldErrors, field, 'is not a phone number');
  return phone;
}

/** E-mail addresses are stored lower-cased, as checkout and the import store them; blank means none. */
export function cleanEmail(value: string | null | undefined, field: string, fieldErrors: FieldErrors) {
  const email = cleanText(value)?.toLowerCase() ?? null;
  if (email && !isEmailAddress(email)) add(fieldErrors, field, 'must be a valid email');
  return email;
}

/** `YYYY-MM-DD` of a real calendar day, not in the future and not before 1900. */
export function cleanDateOfBirth(value: string | null | undefined, fieldErrors: FieldErrors) {
  const text = cleanText(value);
  if (!text) return null;
  const problem = dateOfBirthProblem(text, todayIso());
  if (problem) {
    add(fieldErrors, 'date_of_birth', problem);
    return null;
  }
  return text;
}

/** Free text the contract leaves open (`sex`); trimmed, lower-cased, blank means unknown. */
export function cleanSex(value: string | null | undefined): string | null {
  return cleanText(value)?.toLowerCase() ?? null;
}

/**
 * A customer's complete tag list: trimmed, blanks dropped, duplicates (ignoring case) kept once in the
 * first spelling sent, order kept.
 */
export function cleanTags(values: readonly string[], fieldErrors: FieldErrors, field = 'tags'): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const value of values) {
    const tag = value.trim();
    if (!tag || seen.has(tag.toLowerCase())) continue;
    if (tag.length > TAG_MAX_LENGTH || hasControlCharacters(tag)) {
      add(fieldErrors, field, `each tag must be one line of at most ${TAG_MAX_LENGTH} characters`);
      return [];
    }
    seen.add(tag.toLowerCase());
    tags.push(tag);
  }
  if (tags.length > MAX_TAGS) add(fieldErrors, field, `must have at most ${MAX_TAGS} tags`);
  return tags;
}

/** The `tags` query filter: comma-separated, trimmed, blanks dropped. */
export function tagsFilter(value: string | undefined): string[] {
  if (!value) return [];
  return [...new Set(value.split(',').map((tag) => tag.trim()))].filter(Boolean);
}
