/** PostgreSQL's SQLSTATE for a unique constraint or index violation. */
const UNIQUE_VIOLATION = '23505';

/**
 * True when `error` is PostgreSQL refusing a duplicate (from `pg` or PGlite, which both carry
 * `code`); with `constraint`, only when the violated constraint's name contains it. PGlite may not
 * name the constraint, so an unnamed violation counts as a match.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, constraint: violated } = error as { code?: unknown; constraint?: unknown };
  if (code !== UNIQUE_VIOLATION) return false;
  return constraint === undefined || typeof violated !== 'string' || violated.includes(constraint);
}

/** True when `error` is PostgreSQL refusing a write that would leave a foreign key dangling. */
export function isForeignKeyViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23503';
}

/**
 * True when PostgreSQL gave up a transaction for another's sake: repeatable read refusing a write to a
 * row changed since its snapshot (40001), or a deadlock broken by aborting it (40P01).
 */
export function isSerializationFailure(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40001' || code === '40P01';
}
