import autocannon from 'autocannon';

/**
 * The load generator, run as its own process by `bench/run.ts` so autocannon never shares the
 * event loop (or the CPU time slice) of the servers it measures. It reads one job from the
 * BENCH_LOAD_JOB environment variable (credentials stay out of the process list), warms the target
 * up, measures it, and prints one JSON line with the figures the report needs.
 */

export interface LoadJob {
  url: string;
  headers: Record<string, string>;
  connections: number;
  warmupSeconds: number;
  durationSeconds: number;
}

export interface LoadResult {
  /** Mean of the per-second request counts autocannon sampled during the measured run. */
  requestsPerSecond: number;
  requestsTotal: number;
  /** Milliseconds; autocannon's histogram has 1 ms resolution for percentiles. */
  latencyP50: number;
  latencyP99: number;
  latencyMean: number;
  latencyMax: number;
  non2xx: number;
  /** Connection errors and timeouts: requests that never got a response. */
  errors: number;
  statusCodes: Record<string, number>;
  warmup: { requestsTotal: number; non2xx: number; errors: number };
  /** CPU milliseconds per request (warm-up included), set by bench/run.ts around the load. */
  cpuMsPerRequest?: { node: number; postgres: number | null };
}

function statusCodes(result: autocannon.Result): Record<string, number> {
  const stats = (result as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  return Object.fromEntries(Object.entries(stats).map(([code, { count }]) => [code, count]));
}

async function fire(job: LoadJob, seconds: number): Promise<autocannon.Result> {
  return autocannon({
    url: job.url,
    headers: job.headers,
    connections: job.connections,
    duration: seconds,
  });
}

async function main(): Promise<void> {
  const raw = process.env.BENCH_LOAD_JOB;
  if (!raw) throw new Error('BENCH_LOAD_JOB is not set; this worker is started by bench/run.ts');
  const job = JSON.parse(raw) as LoadJob;
  const warmup = await fire(job, job.warmupSeconds);
  const result = await fire(job, job.durationSeconds);
  const output: LoadResult = {
    requestsPerSecond: result.requests.mean,
    requestsTotal: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    latencyMean: result.latency.mean,
    latencyMax: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes: statusCodes(result),
    warmup: { requestsTotal: warmup.requests.total, non2xx: warmup.non2xx, errors: warmup.errors },
  };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench/load: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
