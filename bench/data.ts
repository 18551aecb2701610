import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { openRuntime } from '../src/runtime.ts';
import { BENCH_CATALOG, ensureBenchCatalog, mintBenchKey } from './catalog.ts';
import { ensureBenchOrders } from './orders.ts';
import { ensureItemsStore, ITEMS_STORE_NAME } from './storefront.ts';

/**
 * `npm run bench:data [-- --products 10000] [--reset] [--skip-analyze] [--json]`
 *
 * Creates the benchmark catalog (bench/catalog.ts) in the database the server would use:
 * DATABASE_URL when set, else PGlite in NEXUS_DATA_DIR (default ./data), migrated first. Run it
 * again to reuse the catalog (it only adds what is missing) and get a new API key: stored keys
 * are hashes, so every run mints one. It also lists the whole catalog in the store the storefront
 * items benchmark pages (bench/storefront.ts). With --orders N it also generates N orders of the
 * catalog business (bench/orders.ts) for the business orders benchmark. Progress goes to stderr, the
 * result to stdout.
 */

const USAGE =
  'usage: npm run bench:data -- [--products 10000] [--orders 1000000] [--reset] [--skip-analyze] [--json]\n';

function parseOptions(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      products: { type: 'string' },
      orders: { type: 'string' },
      reset: { type: 'boolean', default: false },
      'skip-analyze': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const products = values.products === undefined ? BENCH_CATALOG.defaultProducts : Number(values.products);
  if (!Number.isInteger(products) || products < 1 || products > 1_000_000) {
    throw new Error('--products must be a whole number from 1 to 1000000');
  }
  const orders = values.orders === undefined ? 0 : Number(values.orders);
  if (!Number.isInteger(orders) || orders < 0 || orders > 10_000_000) {
    throw new Error('--orders must be a whole number from 0 to 10000000');
  }
  return { products, orders, reset: values.reset, skipAnalyze: values['skip-analyze'], json: values.json };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const log = (line: string) => process.stderr.write(`bench:data: ${line}\n`);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  log(`opening ${config.databaseUrl ? 'DATABASE_URL' : `PGlite in ${config.dataDir}`} and migrating ...`);
  const runtime = await openRuntime(config);
  try {
    const db = runtime.database.db;
    const catalog = await ensureBenchCatalog(db, {
      products: options.products,
      reset: options.reset,
      skipAnalyze: options.skipAnalyze,
      log,
    });
    const apiKey = await mintBenchKey(db, catalog);
    const itemsStore = await ensureItemsStore(db, catalog, log);
    const orders =
      options.orders > 0
        ? await ensureBenchOrders(db, catalog, {
            orders: options.orders,
            log,
            skipAnalyze: options.skipAnalyze,
          })
        : undefined;
    const result = {
      database: runtime.database.describe,
      ...catalog,
      api_key: apiKey,
      items_store: {
        id: itemsStore.storeId,
        unique_id: itemsStore.storeUniqueId,
        storefront_key: itemsStore.storefrontKey,
        products: itemsStore.products,
        price_options: itemsStore.priceOptions,
      },
      ...(orders ? { orders } : {}),
    };
    if (options.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const { totals, inserted } = catalog;
    const showcase = catalog.showcase_product;
    const base = config.publicUrl.replace(/\/+$/, '');
    process.stdout.write(
      [
        `Benchmark catalog in ${result.database} (${catalog.seconds.toFixed(1)} s)`,
        `business            ${catalog.business_username} (id ${catalog.business_id}, unique_id ${catalog.business_unique_id})`,
        `products            ${totals.products} (inserted ${inserted.products})`,
        `variants            ${totals.variants} (inserted ${inserted.variants})`,
        `stock rows          ${totals.stock_rows} in ${catalog.warehouses.length} warehouses (inserted ${inserted.stock_rows})`,
        `store listings      ${totals.store_products} in ${catalog.stores.map((s) => `${s.name} id ${s.id}`).join(', ')} (inserted ${inserted.store_products})`,
        `digital files       ${totals.digital_files} (inserted ${inserted.digital_files})`,
        `bundles             ${totals.bundles} (inserted ${inserted.bundles})`,
        `showcase product    id ${showcase.id}, uuid ${showcase.uuid}, ${showcase.variants} variants`,
        `api_key             ${apiKey}`,
        `items store         ${ITEMS_STORE_NAME} (id ${itemsStore.storeId}, unique_id ${itemsStore.storeUniqueId}): ${itemsStore.products} products and ${itemsStore.priceOptions} price options listed, visible`,
        `storefront_key      ${itemsStore.storefrontKey}`,
        ...(orders
          ? [
              `orders              ${orders.orders} with ${orders.orderlines} lines in ${orders.stores.length} stores (inserted ${orders.inserted}, ${orders.seconds.toFixed(1)} s)`,
            ]
          : []),
        '',
        `  curl -s '${base}/v3/products?page_size=25' -H 'Authorization: Bearer ${apiKey}'`,
        `  curl -s ${base}/v3/products/${showcase.id} -H 'Authorization: Bearer ${apiKey}'`,
        `  curl -s '${base}/v3/stores/${itemsStore.storeUniqueId}/public/items?page_size=25' -H 'X-Scalev-Storefront-Api-Key: ${itemsStore.storefrontKey}'`,
        '',
      ].join('\n'),
    );
  } finally {
    await runtime.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:data: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
