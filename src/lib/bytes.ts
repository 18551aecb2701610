const UNITS = ['KiB', 'MiB', 'GiB'] as const;

/**
 * A byte count as people read it next to the exact number: `1048576 bytes (1 MiB)`,
 * `4096 bytes (4 KiB)`, `1500 bytes (1.46 KiB)`, `512 bytes`.
 */
export function describeBytes(bytes: number): string {
  let value = bytes;
  let unit: string | undefined;
  for (const next of UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  if (!unit) return `${bytes} bytes`;
  const shown = Number.isInteger(value) ? String(value) : String(Number(value.toFixed(2)));
  return `${bytes} bytes (${shown} ${unit})`;
}
