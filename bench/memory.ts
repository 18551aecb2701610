/**
 * `npm run bench:memory [-- --runs 2 --load-seconds 10]`: resident memory of `node bin/start.js` (what
 * `npm start` runs) on the embedded database, as docs/performance.md reports it.
 *
 * For each run: a new, empty `NEXUS_DATA_DIR`; the first start (demo seeded, postal codes imported),
 * sampling the resident memory of the server and every process under it (the first start's preparing
 * child included) every 50 ms until "Nexus is ready"; 10 s idle; load on two storefront reads (the
 * items page and the location search, 10 connections, `--load-seconds` each) with the demo's
 * storefront key; 10 s idle again, and 60 s (V8 gives the young generation's memory back after a
 * while idle); SIGTERM. Then a restart on the same directory, measured the same
 * way. Linux only (`/proc`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { REPO_ROOT } from '../src/lib/paths.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    'load-seconds': { type: 'string', default: '10' },
  },
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024;
  } catch {
    return 0; // exited between listing and reading
  }
}

/** The process and all its descendants, from each process's parent in `/proc/<pid>/stat`. */
function tree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {}
  }
  const found = [root];
  for (let i = 0; i < found.length; i++) {
    for (const [pid, parent] of parents) if (parent === found[i]) found.push(pid);
  }
  return found;
}

const treeRss = (root: number) => tree(root).reduce((sum, pid) => sum + rssMb(pid), 0);

interface Sample {
  start: string;
  ready_s: number;
  peak_until_ready_mb: number;
  ready_mb: number;
  idle_mb: number;
  load_peak_mb: number;
  idle_after_load_mb: number;
  settled_mb: number;
  items_rps: number;
  locations_rps: number;
}

async function measure(
  label: string,
  dataDir: string,
  port: number,
  key: { token: string; store: string } | null,
) {
  const started = Date.now();
  const child: ChildProcess = spawn(process.execPath, ['bin/start.js'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NODE_ENV: '',
      DATABASE_URL: '',
      REDIS_URL: '',
      LOG_LEVEL: 'info',
      NEXUS_LOG_FORMAT: 'json',
      NEXUS_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      NEXUS_PUBLIC_URL: `http://127.0.0.1:${port}`,
      // The load measures memory under requests, not 429s.
      NEXUS_RATE_LIMIT_IP_PER_10S: '1000000',
      NEXUS_RATE_LIMIT_IP_PER_HOUR: '10000000',
      NEXUS_RATE_LIMIT_KEY_PER_10S: '1000000',
      NEXUS_RATE_LIMIT_KEY_PER_HOUR: '10000000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const pid = child.pid as number;
  let peak = 0;
  while (!output.includes('Nexus is ready')) {
    if (child.exitCode !== null) throw new Error(`the server exited:\n${output}`);
    peak = Math.max(peak, treeRss(pid));
    await sleep(50);
  }
  const readySeconds = (Date.now() - started) / 1000;
  const ready = treeRss(pid);
  await sleep(10_000);
  const idle = treeRss(pid);
  const storefront = key ?? {
    token: output.match(/Storefront key\s{2,}(\S+)/)?.[1] ?? '',
    store: output.match(/Store\s{2,}id \d+, unique_id (\S+)/)?.[1] ?? '',
  };
  const base = `http://127.0.0.1:${port}/v3/stores/${storefront.store}/public`;
  let loadPeak = 0;
  const sampler = setInterval(() => {
    loadPeak = Math.max(loadPeak, treeRss(pid));
  }, 100);
  const rps: number[] = [];
  for (const url of [`${base}/items?page_size=25`, `${base}/locations?search=cempaka`]) {
    const result = await autocannon({
      url,
      headers: { 'x-scalev-storefront-api-key': storefront.token },
      connections: 10,
      duration: Number(values['load-seconds']),
    });
    if (result.non2xx || result.errors)
      throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    rps.push(Math.round(result.requests.average));
  }
  clearInterval(sampler);
  await sleep(10_000);
  const idleAfterLoad = treeRss(pid);
  await sleep(50_000);
  const settled = treeRss(pid);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const sample: Sample = {
    start: label,
    ready_s: Math.round(readySeconds * 10) / 10,
    peak_until_ready_mb: Math.round(peak),
    ready_mb: Math.round(ready),
    idle_mb: Math.round(idle),
    load_peak_mb: Math.round(loadPeak),
    idle_after_load_mb: Math.round(idleAfterLoad),
    settled_mb: Math.round(settled),
    items_rps: rps[0] ?? 0,
    locations_rps: rps[1] ?? 0,
  };
  return { sample, storefront };
}

const samples: Sample[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-bench-memory-'));
  const port = 39_000 + Math.floor(Math.random() * 1000);
  try {
    const first = await measure('first start', dataDir, port, null);
    samples.push(first.sample);
    samples.push((await measure('restart', dataDir, port, first.storefront)).sample);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
const columns = Object.keys(samples[0] ?? {}) as (keyof Sample)[];
console.log(`| ${columns.join(' | ')} |`);
console.log(`| ${columns.map(() => '---').join(' | ')} |`);
for (const sample of samples) console.log(`| ${columns.map((c) => sample[c]).join(' | ')} |`);
