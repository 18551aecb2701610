/** True when `value` holds an ASCII control character (U+0000–U+001F or DEL), which never belongs in a
 * file name, URL or header value a buyer sends us. A loop, not a regex, keeps the range readable. */
export function hasControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
