import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { REPO_ROOT } from '../lib/paths.ts';
import type { BundledPostalCodes } from '../seed/demo.ts';

/** What the first start's preparing process did, for the start-up log. */
export type FirstStart =
  | {
      prepared: true;
      /** Named so in the log line, where `pid` is the server's own. */
      child_pid: number;
      ms: number;
      applied: number;
      postal_codes?: BundledPostalCodes;
    }
  | { prepared: false; child_pid: number | null; error: string };

/** Has the embedded database's data directory ever been initialised? (initdb writes PG_VERSION.) */
export function isNewDataDir(dataDir: string): boolean {
  return !fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'));
}

/**
 * A new embedded data directory is prepared (its empty cluster, the migrations, region data and, when
 * the demo will be seeded, the postal codes) by `nexus migrate` in a short-lived child process, before
 * the server opens it. PGlite's WebAssembly memory only ever grows: done in the server, this work left
 * it 150-350 MB bigger for as long as it ran (docs/performance.md, "Process memory"). The child gives
 * that memory back when it exits, so a first start settles where every later start does.
 *
 * `null` when there is nothing to prepare (PostgreSQL, or a directory initialised before). If the
 * child fails, the server prepares the directory itself as before and logs why.
 */
export async function prepareNewDataDir(
  config: Config,
  nexusBin = path.join(REPO_ROOT, 'bin', 'nexus.js'),
): Promise<FirstStart | null> {
  if (config.databaseUrl || !isNewDataDir(config.dataDir)) return null;
  const argv = [nexusBin, 'migrate', '--json', ...(config.seedDemoOnEmpty ? ['--postal-codes'] : [])];
  const started = Date.now();
  // stdout is the command's JSON report; its stderr (an error, a warning) goes where the server's does.
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  // A server stopped while it waits must not leave the child writing to the directory behind it.
  const stopChild = () => child.kill('SIGKILL');
  process.once('exit', stopChild);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
    process.stderr.write(chunk);
  });
  const code = await new Promise<number | null>((resolve) => {
    child.once('error', (error) => {
      stderr += error.message;
      resolve(null);
    });
    child.once('exit', (exitCode) => resolve(exitCode));
  });
  process.off('exit', stopChild);
  if (code !== 0) {
    return { prepared: false, child_pid: child.pid ?? null, error: lastLine(stderr) || `exit code ${code}` };
  }
  try {
    const report = JSON.parse(stdout) as { applied: string[]; postal_codes?: BundledPostalCodes };
    return {
      prepared: true,
      child_pid: child.pid as number,
      ms: Date.now() - started,
      applied: report.applied.length,
      ...(report.postal_codes ? { postal_codes: report.postal_codes } : {}),
    };
  } catch {
    return { prepared: false, child_pid: child.pid ?? null, error: `unreadable report: ${lastLine(stdout)}` };
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.slice(0, 500) ?? '';
}
