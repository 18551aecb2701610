/**
 * What counts as a phone number, an e-mail address and a date of birth, wherever buyers or
 * merchants type them (checkout, customer accounts, the business API, the CSV import): one rule each.
 */

/** Phone numbers as people type them: digits with an optional +, spaces, dashes, dots or brackets. */
const PHONE = /^\+?[\d\s().-]{6,20}$/;
const MIN_PHONE_DIGITS = 6;
/** The rule Fastify applies to `format: email` (ajv-formats, full mode), so every route agrees. */
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const MAX_EMAIL_LENGTH = 254;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Digits and `+` only: `+62 812-3456 7890` and `+6281234567890` are one phone. */
export function phoneKeyOf(phone: string): string {
  return phone.replace(/[^0-9+]/g, '');
}

export function isPhoneNumber(text: string): boolean {
  return PHONE.test(text) && phoneKeyOf(text).replace('+', '').length >= MIN_PHONE_DIGITS;
}

export function isEmailAddress(text: string): boolean {
  return text.length <= MAX_EMAIL_LENGTH && EMAIL.test(text);
}

/**
 * Why `text` is not a date of birth (`YYYY-MM-DD` of a real calendar day from 1900 to `today`), or
 * null when it is one.
 */
export function dateOfBirthProblem(text: string, today: string): string | null {
  const match = DATE.exec(text);
  if (!match) return 'is not a date (YYYY-MM-DD)';
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return 'is not a date (YYYY-MM-DD)';
  if (year < 1900) return 'is before 1900';
  if (text > today) return 'is in the future';
  return null;
}

/** Today in `YYYY-MM-DD` (UTC), the bound for dates of birth. */
export function todayIso(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
