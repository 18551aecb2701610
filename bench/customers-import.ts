import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../src/lib/paths.ts';

/**
 * `npx tsx bench/customers-import.ts [--rows 100000 | --file F.csv] [--runs 3] [--database-url URL]`
 *
 * The acceptance measurement of `nexus customers import`: runs the installed command
 * (`node bin/nexus.js`) on a generated file into a new business, `--runs` times (the first run
 * creates, the others update), and prints each run's report, wall time and peak resident memory as
 * `/usr/bin/time` reads it (the most the process ever held). Without `--database-url` it uses a new
 * embedded database in a temporary directory, removed afterwards.
 */

const USAGE =
  'usage: npx tsx bench/customers-import.ts [--rows 100000 | --file F.csv] [--runs 3] [--database-url URL]\n';
const TIME = '/usr/bin/time';
const NEXUS = path.join(REPO_ROOT, 'bin', 'nexus.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  peakKb: number | undefined;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  const started = Date.now();
  const child = spawn(TIME, ['-f', 'peak-rss-kb %M', process.execPath, NEXUS, ...args], { env });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const peak = /peak-rss-kb (\d+)/.exec(stderr)?.[1];
      resolve({
        code: code ?? 1,
        stdout,
        stderr,
        wallMs: Date.now() - started,
        peakKb: peak ? Number(peak) : undefined,
      });
    });
  });
}

function check(result: Run, what: string): Run {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stderr}`);
  return result;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      rows: { type: 'string', default: '100000' },
      file: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} is needed to read peak memory (Debian package "time")`);
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs must be a positive integer');

  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-import-bench-'));
  try {
    let file = values.file;
    if (!file) {
      file = path.join(work, 'customers.csv');
      const generate = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(REPO_ROOT, 'bench', 'customers-csv.ts'),
          '--rows',
          values.rows,
          '--out',
          file,
        ],
        { stdio: 'inherit' },
      );
      const code = await new Promise<number | null>((resolve) => generate.on('close', resolve));
      if (code !== 0) throw new Error('generating the CSV failed');
    }
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (values['database-url']) env.DATABASE_URL = values['database-url'];
    else {
      delete env.DATABASE_URL;
      env.NEXUS_DATA_DIR = path.join(work, 'data');
    }
    const owner = `import-bench-${Date.now()}@example.test`;
    const created = check(
      await run(['business', 'create', '--name', 'Import Bench', '--owner-email', owner, '--json'], env),
      'business create',
    );
    const business = JSON.parse(created.stdout).business.unique_id as string;

    const database = values['database-url'] ? 'PostgreSQL' : 'PGlite';
    process.stdout.write(
      `database ${database}, file ${file} (${(fs.statSync(file).size / 1e6).toFixed(1)} MB)\n`,
    );
    process.stdout.write('run  rows      created  updated  duplicates  failed  wall s  peak RSS MB\n');
    for (let i = 1; i <= runs; i++) {
      const result = check(
        await run(['customers', 'import', file, '--business', business, '--json'], env),
        'import',
      );
      const report = JSON.parse(result.stdout);
      const peak = result.peakKb === undefined ? '?' : String(Math.round(result.peakKb / 1024));
      process.stdout.write(
        `${String(i).padEnd(5)}${String(report.rows).padEnd(10)}${String(report.created).padEnd(9)}${String(report.updated).padEnd(9)}${String(report.duplicates).padEnd(12)}${String(report.failed).padEnd(8)}${(result.wallMs / 1000).toFixed(1).padEnd(8)}${peak}\n`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`customers-import: ${(error as Error).message}\n`);
  process.exit(1);
});
