import fs from 'node:fs';
import net from 'node:net';
import { buildTestApp, getTestContext, type TestContext, testConfig } from '../helpers/app.ts';

/** Debian's Chromium; `.ci/run` installs it. Missing is a failure, never a skip. */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function requireChromium(what: string): void {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it (apt-get install chromium) — .ci/run does — to run ${what}`,
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A second app on the tests' database, listening on a real port, whose public URL (and so every
 * URL it issues) is its own address.
 */
export async function serveApp(): Promise<{ served: TestContext; baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const shared = await getTestContext();
  const served = await buildTestApp(shared.database, testConfig({ publicUrl: baseUrl }));
  await served.app.listen({ host: '127.0.0.1', port });
  return { served, baseUrl };
}
