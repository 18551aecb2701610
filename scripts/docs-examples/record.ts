/**
 * `npm run docs:examples`: records the API reference's examples. Starts the app on a fresh
 * in-memory database with the regions and postal codes, creates the demo business exactly as a
 * first `npm start` does (so ids match a fresh installation), drives every implemented operation
 * the way a client would, and writes what the server answered to `src/docs/recorded-examples.json`.
 * Run it again after changing a route's schemas; `test/http/openapi-examples.test.ts` says when.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/database.ts';
import { MemoryRateLimitStore } from '../../src/http/rate-limit.ts';
import { defaultPostalCodesFile, REPO_ROOT } from '../../src/lib/paths.ts';
import { loadServerKeys } from '../../src/lib/secrets.ts';
import { importPostalCodes } from '../../src/modules/locations/postal-codes.ts';
import { prepareDatabase } from '../../src/runtime.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { recordBusiness } from './business.ts';
import { recordCatalog } from './catalog.ts';
import { recordCustomers } from './customers.ts';
import { recordErrors } from './errors.ts';
import { recordOAuth } from './oauth.ts';
import { recordOAuthBilling } from './oauth-billing.ts';
import { recordOrders } from './orders.ts';
import { Recorder } from './recorder.ts';
import { recordStorefront } from './storefront.ts';

export const OUTPUT = path.join(REPO_ROOT, 'src/docs/recorded-examples.json');

async function main(): Promise<void> {
  const storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-docs-examples-'));
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: '',
    NEXUS_DATA_DIR: '',
    NEXUS_SECRET_KEY: '',
    LOG_LEVEL: 'silent',
    NEXUS_PUBLIC_URL: 'http://localhost:3000',
    NEXUS_STORAGE_DRIVER: 'local',
    NEXUS_STORAGE_DIR: storageDir,
    NEXUS_PAYMENTS_DRIVER: 'sandbox',
    NEXUS_MAIL_DRIVER: 'sandbox',
    // The recording is one fast client; the rate limits are recorded on their own (errors.ts).
    NEXUS_RATE_LIMIT_KEY_PER_10S: '1000000',
    NEXUS_RATE_LIMIT_IP_PER_10S: '1000000',
  });
  const database = await openDatabase({});
  try {
    await prepareDatabase(database);
    await importPostalCodes(database.db, defaultPostalCodesFile());
    const keys = await loadServerKeys(database.db, undefined);
    const rateLimit = new MemoryRateLimitStore();
    const app = await buildApp({ config, database, keys, rateLimit }, { logger: false });
    await app.ready();
    const demo = await seedDemo(database.db, config, keys);
    const recorder = new Recorder(app, {
      apiKey: demo.api_key,
      storefrontKey: demo.storefront_api_key,
      origin: demo.allowed_origin,
    });
    const context = { recorder, demo, database, db: database.db, config, keys };
    const catalog = await recordCatalog(context);
    const storefront = await recordStorefront(context, catalog);
    await recordCustomers(context, catalog, storefront);
    await recordBusiness(context, catalog);
    await recordErrors(context, catalog, storefront);
    await recordOAuth(context);
    await recordOAuthBilling(context);
    // After the others: it changes and deletes the journeys' orders.
    await recordOrders(context);
    await app.close();
    fs.writeFileSync(OUTPUT, `${JSON.stringify(recorder.examples, null, 2)}\n`);
    const count = Object.keys(recorder.examples.operations).length;
    process.stdout.write(
      `recorded examples of ${count} operations into ${path.relative(REPO_ROOT, OUTPUT)}\n`,
    );
  } finally {
    await database.close();
    fs.rmSync(storageDir, { recursive: true, force: true });
  }
}

await main();
