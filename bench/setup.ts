import fs from 'node:fs';
import type { Db } from '../src/db/database.ts';
import { defaultPostalCodesFile } from '../src/lib/paths.ts';
import { createApiKey, createBusiness, createStore } from '../src/modules/businesses/service.ts';
import { importPostalCodes } from '../src/modules/locations/postal-codes.ts';
import { createStorefrontKey } from '../src/modules/storefront-setup/service.ts';

/** The tenant every benchmark run creates for itself, with the credentials the load generator sends. */
export interface BenchTenant {
  businessId: number;
  businessUniqueId: string;
  userId: number;
  storeId: number;
  storeUniqueId: string;
  /** `sk_...`: a secret business API key, acting for the owner. */
  apiKey: string;
  /** `sfpk_...`: the store's publishable storefront key. */
  storefrontKey: string;
}

export interface PostalCodesStatus {
  imported: boolean;
  file: string;
  rows: number;
  seconds: number;
}

/**
 * Location search only has realistic work to do with the urban names the postal code file adds to
 * every location's search text, so a database without postal codes gets them, as the server's
 * first start does.
 */
export async function ensurePostalCodes(db: Db, log: (line: string) => void): Promise<PostalCodesStatus> {
  const file = defaultPostalCodesFile();
  const loaded = await db.selectFrom('postal_codes').select('id').limit(1).executeTakeFirst();
  if (loaded) return { imported: false, file, rows: 0, seconds: 0 };
  if (!fs.existsSync(file)) {
    throw new Error(`No postal codes loaded and ${file} is missing; set NEXUS_POSTAL_CODES_CSV`);
  }
  log(`importing postal codes from ${file} ...`);
  const started = performance.now();
  const report = await importPostalCodes(db, file);
  return { imported: true, file, rows: report.inserted, seconds: (performance.now() - started) / 1000 };
}

/** A fresh business (unique e-mail and name per run) so runs never depend on each other's data. */
export async function createBenchTenant(db: Db): Promise<BenchTenant> {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const created = await createBusiness(db, {
    accountHolder: `Nexus Benchmark ${stamp}`,
    owner: { email: `bench-${stamp}@bench.nexus.invalid`, name: 'Benchmark Owner' },
  });
  const store = await createStore(db, created.business.id, { name: 'Benchmark Store' });
  const apiKey = await createApiKey(db, {
    businessId: created.business.id,
    name: 'benchmark',
    kind: 'secret',
  });
  const storefrontKey = await createStorefrontKey(
    db,
    { businessId: created.business.id, userId: created.owner.id },
    store.id,
  );
  if (!storefrontKey.token) throw new Error('The new storefront key came back without its token');
  return {
    businessId: created.business.id,
    businessUniqueId: created.business.unique_id,
    userId: created.owner.id,
    storeId: store.id,
    storeUniqueId: store.unique_id,
    apiKey: apiKey.token,
    storefrontKey: storefrontKey.token,
  };
}

/** Everything business-scoped cascades from the business row; the owner was created for this run. */
export async function removeBenchTenant(db: Db, tenant: BenchTenant): Promise<void> {
  await db.deleteFrom('businesses').where('id', '=', tenant.businessId).execute();
  await db.deleteFrom('users').where('id', '=', tenant.userId).execute();
}
