import { type Kysely, type Migration, type MigrationResultSet, Migrator } from 'kysely';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_location_search_gist.ts';
import * as m0003 from './migrations/0003_catalog_core.ts';
import * as m0004 from './migrations/0004_product_taxonomy.ts';
import * as m0005 from './migrations/0005_product_content.ts';
import * as m0006 from './migrations/0006_courses.ts';
import * as m0007 from './migrations/0007_bundles.ts';
import * as m0008 from './migrations/0008_partners.ts';
import * as m0009 from './migrations/0009_store_setup.ts';
import * as m0010 from './migrations/0010_orders.ts';
import * as m0011 from './migrations/0011_discounts.ts';
import * as m0012 from './migrations/0012_shipping.ts';
import * as m0013 from './migrations/0013_carts.ts';
import * as m0014 from './migrations/0014_jobs_conversions.ts';
import * as m0015 from './migrations/0015_storefront_catalog.ts';
import * as m0016 from './migrations/0016_checkout.ts';
import * as m0017 from './migrations/0017_payments.ts';
import * as m0018 from './migrations/0018_customers.ts';
import * as m0019 from './migrations/0019_hardening.ts';
import * as m0020 from './migrations/0020_checkout_anti_spam.ts';
import * as m0021 from './migrations/0021_storefront_cards.ts';
import * as m0022 from './migrations/0022_product_list_cards.ts';
import * as m0023 from './migrations/0023_business_orders.ts';
import * as m0024 from './migrations/0024_webhooks.ts';
import * as m0025 from './migrations/0025_order_statistics.ts';
import * as m0026 from './migrations/0026_order_imports.ts';
import * as m0027 from './migrations/0027_order_awb_bookings.ts';
import * as m0028 from './migrations/0028_order_shipment_tracking.ts';
import * as m0029 from './migrations/0029_webhook_sweep.ts';
import * as m0030 from './migrations/0030_history_member_names.ts';
import * as m0031 from './migrations/0031_oauth.ts';
import * as m0032 from './migrations/0032_app_webhooks.ts';
import * as m0033 from './migrations/0033_oauth_billing.ts';

/** Every migration, in order. Names are permanent once released: add, never rename. */
const MIGRATIONS: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_location_search_gist': m0002,
  '0003_catalog_core': m0003,
  '0004_product_taxonomy': m0004,
  '0005_product_content': m0005,
  '0006_courses': m0006,
  '0007_bundles': m0007,
  '0008_partners': m0008,
  '0009_store_setup': m0009,
  '0010_orders': m0010,
  '0011_discounts': m0011,
  '0012_shipping': m0012,
  '0013_carts': m0013,
  '0014_jobs_conversions': m0014,
  '0015_storefront_catalog': m0015,
  '0016_checkout': m0016,
  '0017_payments': m0017,
  '0018_customers': m0018,
  '0019_hardening': m0019,
  '0020_checkout_anti_spam': m0020,
  '0021_storefront_cards': m0021,
  '0022_product_list_cards': m0022,
  '0023_business_orders': m0023,
  '0024_webhooks': m0024,
  '0025_order_statistics': m0025,
  '0026_order_imports': m0026,
  '0027_order_awb_bookings': m0027,
  '0028_order_shipment_tracking': m0028,
  '0029_webhook_sweep': m0029,
  '0030_history_member_names': m0030,
  '0031_oauth': m0031,
  '0032_app_webhooks': m0032,
  '0033_oauth_billing': m0033,
};

export interface MigrateOutcome {
  applied: string[];
}

/**
 * Brings the schema up to date. Safe to run from several instances at once: Kysely holds a
 * PostgreSQL advisory lock while migrating.
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrateOutcome> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'nexus_migrations',
    migrationLockTableName: 'nexus_migrations_lock',
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const cause = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`Migration ${failed} failed: ${cause}`);
  }
  return {
    applied: (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName),
  };
}
