import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';

export type OptionSpec = NonNullable<ParseArgsConfig['options']>[string] & {
  description: string;
  valueName?: string;
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
  run(
    ctx: CommandContext,
    values: Record<string, string | boolean | undefined>,
    positionals: string[],
  ): Promise<void>;
}

export class UsageError extends Error {}

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

export function parseCommandArgs(command: Command, argv: string[]) {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean' } };
  for (const [name, option] of Object.entries(command.options)) {
    options[name] = { type: option.type, ...(option.multiple ? { multiple: option.multiple } : {}) };
  }
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function requireOption(values: Record<string, unknown>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new UsageError(`--${name} is required`);
  return value.trim();
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
