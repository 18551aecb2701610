import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/errors.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  description: string;
  valueName?: string;
  /** Checked with every other required option before the command runs, so all are named at once. */
  required?: boolean;
};

export interface CommandContext {
  config: Config;
  /** Opens the database and applies migrations on first use. */
  database(): Promise<Database>;
  /** Migrations applied when `database()` first opened the database. */
  appliedMigrations: string[];
  out(text: string): void;
  /** Where progress goes: stderr, so stdout keeps only the report (and `--json` stays one object). */
  progress: ProgressSink;
}

/** A stream-like sink for progress; a bar redraws in place only when it is a terminal. */
export interface ProgressSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Command {
  /** Words that select the command, e.g. `['api-key', 'create']`. */
  name: string[];
  summary: string;
  usage?: string;
  /** Longer help, printed under the usage line. */
  details?: string;
  options: Record<string, OptionSpec>;
  positionals?: { name: string; description: string; required: boolean }[];
  /** Resolves to the exit code when it is not 0 (e.g. an import with failed rows), else nothing. */
  run(
    ctx: CommandContext,
    values: Record<string, string | boolean | undefined>,
    positionals: string[],
  ): Promise<void> | Promise<number>;
}

export class UsageError extends Error {}

/** Service refusals (bad input, not found: an `ApiError` below 500) said plainly as usage errors, exit 2. */
export async function asUsage<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError && error.statusCode < 500) throw new UsageError(error.message);
    throw error;
  }
}

export function helpText(command: Command): string {
  const args = (command.positionals ?? []).map((p) => (p.required ? `<${p.name}>` : `[${p.name}]`)).join(' ');
  const lines = [
    `Usage: nexus ${command.name.join(' ')}${args ? ` ${args}` : ''} [options]`,
    '',
    command.summary,
  ];
  if (command.details) lines.push('', command.details);
  if (command.positionals?.length) {
    lines.push('', 'Arguments:');
    for (const p of command.positionals) lines.push(`  ${p.name.padEnd(24)} ${p.description}`);
  }
  lines.push('', 'Options:');
  for (const [name, option] of Object.entries(command.options)) {
    const flag = option.type === 'string' ? `--${name} <${option.valueName ?? 'value'}>` : `--${name}`;
    lines.push(`  ${flag.padEnd(24)} ${option.description}`);
  }
  lines.push(`  ${'--help'.padEnd(24)} Show this help`);
  return lines.join('\n');
}

/** The option meant by a mistyped one: the closest name within two edits, if there is one. */
function closestOption(typed: string, names: string[]): string | undefined {
  const distance = (a: string, b: string) => {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++) {
        current.push(
          Math.min(
            (previous[j] ?? 0) + 1,
            (current[j - 1] ?? 0) + 1,
            (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
          ),
        );
      }
      previous = current;
    }
    return previous[b.length] ?? Number.POSITIVE_INFINITY;
  };
  const ranked = names.map((name) => ({ name, d: distance(typed, name) })).sort((x, y) => x.d - y.d);
  return ranked[0] && ranked[0].d <= 2 ? ranked[0].name : undefined;
}

/** node:util's parse errors say what went wrong in its own terms; these say it in the command's. */
function friendlyParseError(command: Command, error: Error & { code?: string }): string {
  const names = Object.keys(command.options);
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const typed = error.message.match(/'(-{1,2}[^']*)'/)?.[1] ?? 'that option';
    const guess = closestOption(typed.replace(/^-+/, ''), names);
    const known = names.length ? names.map((name) => `--${name}`).join(', ') : 'none besides --help';
    return `unknown option ${typed}${guess ? ` (did you mean --${guess}?)` : ''}; this command takes ${known}`;
  }
  if (error.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = error.message.match(/'--([^ ']+)/)?.[1];
    if (name && command.options[name]?.type === 'string') return `--${name} needs a value`;
    if (name) return `--${name} takes no value`;
  }
  return error.message;
}

/**
 * `--order -Xy…` as `--order=-Xy…`: a value may begin with a dash (one secret_slug in 64 does),
 * and node:util would read it as an option. Only a token naming one of this command's options
 * (or -h/--help) ends a string option's value.
 */
function bindDashValues(command: Command, argv: string[]): string[] {
  const isOption = (token: string) =>
    token === '-h' ||
    token === '--help' ||
    Object.hasOwn(command.options, token.replace(/^--/, '').split('=')[0] ?? '');
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    const next = argv[i + 1];
    const name = token.startsWith('--') && !token.includes('=') ? token.slice(2) : undefined;
    if (
      name &&
      command.options[name]?.type === 'string' &&
      next?.startsWith('-') &&
      next.length > 1 &&
      !isOption(next)
    ) {
      out.push(`${token}=${next}`);
      i++;
    } else out.push(token);
  }
  return out;
}

export function parseCommandArgs(command: Command, argv: string[]) {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean' } };
  for (const [name, option] of Object.entries(command.options)) {
    options[name] = { type: option.type, ...(option.multiple ? { multiple: option.multiple } : {}) };
  }
  try {
    return parseArgs({ args: bindDashValues(command, argv), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(friendlyParseError(command, error as Error & { code?: string }));
  }
}

/** Every required option and argument that is missing or blank, named in one message. */
export function checkRequired(
  command: Command,
  values: Record<string, unknown>,
  positionals: string[],
): void {
  const missing = [
    ...(command.positionals ?? [])
      .filter((positional, index) => positional.required && !positionals[index]?.trim())
      .map((positional) => positional.name),
    ...Object.entries(command.options)
      .filter(([name, option]) => {
        const value = values[name];
        return option.required && (typeof value !== 'string' || value.trim() === '');
      })
      .map(([name]) => `--${name}`),
  ];
  if (missing.length === 1) throw new UsageError(`${missing[0]} is required`);
  if (missing.length > 1) throw new UsageError(`missing ${missing.join(', ')}`);
}

export function requireOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
}

/** Rows under a header line, each column as wide as its widest cell (the last one left free). */
export function table(headers: string[], rows: string[][]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/** `--json` prints exactly one JSON object; otherwise a short human-readable summary. */
export function report(
  ctx: CommandContext,
  json: boolean,
  object: Record<string, unknown>,
  human: string[],
): void {
  ctx.out(json ? JSON.stringify(object, null, 2) : human.join('\n'));
}
