import { ConfigError, loadConfig } from '../config.ts';
import type { Database } from '../db/database.ts';
import { ApiError } from '../http/errors.ts';
import { openDatabaseFor, prepareDatabase } from '../runtime.ts';
import {
  type Command,
  type CommandContext,
  checkRequired,
  helpText,
  type ProgressSink,
  parseCommandArgs,
  UsageError,
} from './command.ts';
import { adminCommands } from './commands/admin.ts';
import { billingCommands } from './commands/billing.ts';
import { courierCommands } from './commands/couriers.ts';
import { customerCommands } from './commands/customers.ts';
import { locationCommands } from './commands/locations.ts';
import { mailCommands } from './commands/mail.ts';
import { oauthCommands } from './commands/oauth.ts';
import { orderUploadCommands } from './commands/order-uploads.ts';
import { orderCommands } from './commands/orders.ts';
import { originCommands } from './commands/origins.ts';
import { paymentCommands } from './commands/payments.ts';
import { pixelCommands } from './commands/pixels.ts';
import { storeSetupCommands } from './commands/store-setup.ts';
import { webhookCommands } from './commands/webhooks.ts';
import { workerCommands } from './commands/worker.ts';

const COMMANDS: Command[] = [
  ...adminCommands,
  ...locationCommands,
  ...storeSetupCommands,
  ...originCommands,
  ...courierCommands,
  ...pixelCommands,
  ...workerCommands,
  ...paymentCommands,
  ...mailCommands,
  ...customerCommands,
  ...orderCommands,
  ...orderUploadCommands,
  ...webhookCommands,
  ...oauthCommands,
  ...billingCommands,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.join(' ').length)) + 2;
  return [
    'Usage: nexus <command> [options]     (npm run nexus -- <command>)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.join(' ').padEnd(width)} ${c.summary}`),
    '',
    'Run `nexus <command> --help` for its options. Commands read DATABASE_URL / NEXUS_DATA_DIR like the server.',
  ].join('\n');
}

function findCommand(argv: string[]): { command: Command; rest: string[] } | undefined {
  for (const command of [...COMMANDS].sort((a, b) => b.name.length - a.name.length)) {
    if (command.name.every((word, i) => argv[i] === word))
      return { command, rest: argv.slice(command.name.length) };
  }
  return undefined;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  /** An already open database (tests); otherwise the command opens one from the environment. */
  database?: Database;
  /** Progress bars and counters (the process's stderr). */
  progress: ProgressSink;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  progress: process.stderr,
};

export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    io.stdout(`${overview()}\n`);
    return 0;
  }
  const found = findCommand(argv);
  if (!found) {
    io.stderr(`nexus: unknown command "${argv.join(' ')}"\n\n${overview()}\n`);
    return 2;
  }
  let opened: Database | undefined;
  try {
    const { values, positionals } = parseCommandArgs(found.command, found.rest);
    if (values.help) {
      io.stdout(`${helpText(found.command)}\n`);
      return 0;
    }
    checkRequired(found.command, values, positionals);
    const config = loadConfig(io.env);
    const ctx: CommandContext = {
      config,
      appliedMigrations: [],
      database: async () => {
        if (io.database) return io.database;
        if (!opened) {
          opened = await openDatabaseFor(config, 'command', {
            onWaitForServer: (holder) =>
              io.stderr(`nexus: waiting for the Nexus server (process ${holder.pid}) to finish starting…\n`),
          });
          ctx.appliedMigrations = await prepareDatabase(opened);
        }
        return opened;
      },
      out: (text) => io.stdout(`${text}\n`),
      progress: io.progress,
    };
    const code = await found.command.run(
      ctx,
      values as Record<string, string | boolean | undefined>,
      positionals,
    );
    return code ?? 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`nexus ${found.command.name.join(' ')}: ${error.message}\n\n${helpText(found.command)}\n`);
      return 2;
    }
    const message =
      error instanceof ApiError || error instanceof ConfigError || error instanceof Error
        ? error.message
        : String(error);
    io.stderr(`nexus ${found.command.name.join(' ')}: ${message}\n`);
    return 1;
  } finally {
    await opened?.close();
  }
}
