import { runCli } from '../../src/cli/run.ts';
import { getTestContext, testConfig } from './app.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** What went to the progress sink (a terminal's, when `tty`). */
  progress: string;
}

/** `nexus <argv>` in-process on the tests' database, with its output captured. */
export async function runNexus(
  argv: string[],
  options: { env?: Record<string, string>; tty?: boolean } = {},
): Promise<CliRun> {
  const ctx = await getTestContext();
  const run: CliRun = { code: -1, stdout: '', stderr: '', progress: '' };
  run.code = await runCli(argv, {
    stdout: (text) => {
      run.stdout += text;
    },
    stderr: (text) => {
      run.stderr += text;
    },
    progress: {
      isTTY: options.tty ?? false,
      write: (text) => {
        run.progress += text;
      },
    },
    env: { NEXUS_PUBLIC_URL: testConfig().publicUrl, ...options.env },
    database: ctx.database,
  });
  return run;
}

/** `nexus <argv>` for tests that call it variadically. */
export const nexus = (...argv: string[]) => runNexus(argv);
