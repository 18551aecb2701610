/** User text inside a LIKE pattern is literal: `50%` must not match everything. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** `%text%` for a literal substring match. */
export function containsPattern(text: string): string {
  return `%${escapeLike(text)}%`;
}
