import { type Insertable, sql } from 'kysely';
import type { Db } from '../src/db/database.ts';
import type {
  BundleLinesTable,
  BundlePriceOptionsTable,
  ItemType,
  ProductsTable,
  StoreBundlePriceOptionsTable,
  StoreProductsTable,
  VariantsTable,
  WarehouseStocksTable,
} from '../src/db/schema.ts';
import { randomString } from '../src/lib/ids.ts';
import { beforeTax, normalizeMoney } from '../src/lib/money.ts';
import { findBusinessByUsername, findStoreByName } from '../src/modules/businesses/queries.ts';
import {
  createApiKey,
  createBusiness,
  createStore,
  findMemberUserId,
} from '../src/modules/businesses/service.ts';
import type { DigitalProductFilesTable } from '../src/modules/product-content/tables.ts';

/**
 * The benchmark catalog: one business ("nexusbench") with N products that look like a real
 * Indonesian shop's, so the product routes run their real code paths: 1-3 options, 1-6 variants
 * with prices, weights and SKUs, labels, images, taxonomy, inventory with stock in 1-2 of three
 * warehouses, listings in two stores, and bundles holding some of the variants.
 *
 * Idempotent: the business, stores and warehouses are found by name, products by their slug
 * (`bench-000042`), bundles by name, so a second run only adds what is missing. Product i is
 * built from a PRNG seeded with i, so the catalog is the same on every database. Rows go in with
 * multi-row INSERTs (at most about 42,000 parameters each, under PostgreSQL's limit of 65,535).
 */

export const BENCH_CATALOG = {
  username: 'nexusbench',
  accountHolder: 'Nexus Benchmark Catalog',
  ownerEmail: 'bench-catalog@nexus.local',
  ownerName: 'Benchmark Owner',
  /** Indonesian VAT, so every `*_bt` column differs from its price. */
  taxRate: '0.11',
  stores: ['Toko Utama', 'Toko Reseller'] as const,
  warehouses: ['Gudang Jakarta', 'Gudang Surabaya', 'Gudang Medan'] as const,
  bundles: 40,
  apiKeyName: 'Benchmark key',
  defaultProducts: 10_000,
} as const;

/** Product 0 is built as the busiest detail page: 3 options, 6 variants, stock in 2 warehouses, 2 stores, a bundle. */
export const SHOWCASE_SLUG = slugOf(0);

/** Products per INSERT; their variants go in chunks of VARIANT_CHUNK (about 20 parameters each). */
const PRODUCT_BATCH = 1000;
const VARIANT_CHUNK = 2000;
const LINK_CHUNK = 5000;

export interface CatalogCounts {
  products: number;
  variants: number;
  stock_rows: number;
  store_products: number;
  digital_files: number;
  bundles: number;
}

export interface BenchCatalog {
  business_id: number;
  business_unique_id: string;
  business_username: string;
  owner_user_id: number;
  stores: Array<{ id: number; unique_id: string; name: string }>;
  warehouses: Array<{ id: number; unique_id: string; name: string }>;
  /** What the business holds now. */
  totals: CatalogCounts;
  /** What this run inserted (all zero when the catalog was already complete). */
  inserted: CatalogCounts;
  /** The product the single-product benchmark reads. */
  showcase_product: { id: number; uuid: string; slug: string; variants: number };
  /** Whether this run ran ANALYZE on the catalog tables (it does after inserting, unless told not to). */
  analyzed: boolean;
  seconds: number;
}

function slugOf(index: number): string {
  return `bench-${String(index).padStart(6, '0')}`;
}

/** mulberry32: tiny, fast and good enough to make product i the same everywhere. */
function prng(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const chance = (p: number) => next() < p;
  /** `count` distinct items in a random order. */
  const sample = <T>(list: readonly T[], count: number): T[] => {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, count);
  };
  return { next, int, pick, chance, sample };
}

const PHYSICAL = [
  'Kaos',
  'Kemeja',
  'Celana Chino',
  'Jaket Hoodie',
  'Hijab Segi Empat',
  'Gamis',
  'Sepatu Sneakers',
  'Sandal Kulit',
  'Tas Ransel',
  'Dompet',
  'Topi Baseball',
  'Kopi Arabika',
  'Madu Hutan',
  'Keripik Singkong',
  'Sambal Bawang',
  'Teh Hijau',
  'Serum Wajah',
  'Sabun Herbal',
  'Lampu LED',
  'Botol Minum',
  'Kabel Data',
  'Casing HP',
  'Mainan Edukasi',
  'Buku Resep',
];
const DIGITAL = ['E-book', 'Template Canva', 'Preset Lightroom', 'Kelas Rekaman', 'Font Display', 'Planner'];
const SUBSCRIPTION = ['Langganan Kopi', 'Membership Komunitas', 'Majalah Digital', 'Kotak Camilan'];
const QUALIFIERS = [
  'Premium',
  'Original',
  'Polos',
  'Motif Batik',
  'Organik',
  'Anak',
  'Pria',
  'Wanita',
  'Klasik',
];
const BRANDS = ['Nusantara', 'Sejahtera', 'Makmur', 'Cahaya', 'Bintang', 'Garuda', 'Lestari', 'Sentosa'];
const LABELS = ['Best Seller', 'Promo', 'Baru', 'Pre-Order', 'Gratis Ongkir', 'Halal'];

const OPTIONS: Record<'physical' | 'digital' | 'subscription', Array<[string, string[]]>> = {
  physical: [
    ['Warna', ['Hitam', 'Putih', 'Merah', 'Navy', 'Hijau Army', 'Abu-abu', 'Cokelat']],
    ['Ukuran', ['S', 'M', 'L', 'XL', 'XXL']],
    ['Bahan', ['Katun', 'Linen', 'Polyester']],
    ['Berat', ['250 g', '500 g', '1 kg']],
    ['Rasa', ['Original', 'Pedas', 'Balado', 'Keju']],
  ],
  digital: [
    ['Lisensi', ['Personal', 'Komersial']],
    ['Format', ['PDF', 'EPUB', 'PSD', 'PNG']],
    ['Bahasa', ['Indonesia', 'English']],
  ],
  subscription: [
    ['Paket', ['Basic', 'Plus', 'Pro']],
    ['Ukuran', ['Kecil', 'Sedang', 'Besar']],
  ],
};

interface PlannedVariant {
  values: [string | null, string | null, string | null];
  price: number;
  weight: number;
  images: string[];
  /** Recurring pricing, for subscriptions. */
  interval: { unit: 'month' | 'year'; count: number } | null;
}

interface PlannedProduct {
  index: number;
  row: Insertable<ProductsTable>;
  variants: PlannedVariant[];
  /** Indexes into the business's warehouses that hold stock of every variant. */
  stockIn: number[];
  /** Indexes into the business's stores that sell the product. */
  storesIn: number[];
  /** Digital products deliver files: this many per variant (records only; no bytes are stored). */
  filesPerVariant: number;
}

/** Option value combinations in order (first option varies slowest), at most `count` of them. */
function combinations(values: string[][], count: number): string[][] {
  let combos: string[][] = [[]];
  for (const list of values) combos = combos.flatMap((combo) => list.map((value) => [...combo, value]));
  return combos.slice(0, count);
}

function planProduct(index: number, ctx: PlanContext): PlannedProduct {
  const rng = prng(index * 2654435761 + 12345);
  const showcase = index === 0;
  const roll = rng.next();
  const itemType: ItemType = showcase || roll < 0.8 ? 'physical' : roll < 0.95 ? 'digital' : 'subscription';
  const kind = itemType as 'physical' | 'digital' | 'subscription';
  const noun = rng.pick(kind === 'physical' ? PHYSICAL : kind === 'digital' ? DIGITAL : SUBSCRIPTION);
  const name = `${noun} ${rng.pick(QUALIFIERS)} ${rng.pick(BRANDS)} Seri ${index + 1}`;

  const pool = OPTIONS[kind];
  const optionCount = showcase ? 3 : Math.min(pool.length, rng.chance(0.5) ? 1 : rng.chance(0.7) ? 2 : 3);
  const options = showcase ? pool.slice(0, 3) : rng.sample(pool, optionCount);
  const wanted = showcase ? 6 : rng.int(1, 6);
  const values = options.map(([, list], i) =>
    // Two values for the later options, so a product's variants differ in more than one option.
    rng.sample(list, Math.min(list.length, i === 0 ? 6 : 2)),
  );
  const combos = combinations(values, wanted);

  const base = Math.round(Math.exp(rng.next() * Math.log(60)) * 25) * 1000; // 25,000 to 1,500,000
  const weight = kind === 'physical' ? rng.int(1, 40) * 50 : 0;
  const interval =
    kind === 'subscription'
      ? { unit: rng.chance(0.8) ? ('month' as const) : ('year' as const), count: 1 }
      : null;
  const variants = combos.map(
    (combo, position): PlannedVariant => ({
      values: [combo[0] ?? null, combo[1] ?? null, combo[2] ?? null],
      price: base + position * rng.pick([0, 5000, 10000]),
      weight: weight === 0 ? 0 : weight + position * 50,
      images: rng.chance(0.3) ? [`https://cdn.nexus.invalid/bench/p${index}-v${position}.jpg`] : [],
      interval,
    }),
  );

  const isInventory = kind === 'physical' && (showcase || rng.chance(0.5));
  const stockIn = isInventory ? rng.sample([0, 1, 2], showcase ? 2 : rng.int(1, 2)) : [];
  const storesIn = showcase ? [0, 1] : [...(rng.chance(0.9) ? [0] : []), ...(rng.chance(0.25) ? [1] : [])];
  const affiliate = rng.chance(0.1);
  const imageCount = rng.int(1, 4);
  const row: Insertable<ProductsTable> = {
    business_id: ctx.businessId,
    name,
    public_name: rng.chance(0.2) ? `${noun} ${rng.pick(BRANDS)}` : null,
    slug: slugOf(index),
    description: `${name}: produk pilihan ${rng.pick(BRANDS)}, dikirim dari gudang kami.`,
    rich_description: `<p><strong>${name}</strong></p><p>Kualitas terjamin, garansi tukar 7 hari.</p>`,
    item_type: itemType,
    is_inventory: isInventory,
    is_multiple: variants.length > 1,
    is_product_sharing: rng.chance(0.05),
    option1_name: options[0]?.[0] ?? null,
    option2_name: options[1]?.[0] ?? null,
    option3_name: options[2]?.[0] ?? null,
    taxonomy_id: ctx.taxonomyIds.length && (showcase || rng.chance(0.7)) ? rng.pick(ctx.taxonomyIds) : null,
    images: Array.from(
      { length: imageCount },
      (_, k) => `https://cdn.nexus.invalid/bench/p${index}-${k}.jpg`,
    ),
    labels: showcase ? ['Best Seller', 'Promo'] : rng.sample(LABELS, rng.int(0, 2)),
    is_affiliate_enabled: affiliate,
    affiliate_commission_rate: affiliate ? String(rng.int(5, 20)) : null,
    created_by_user_id: ctx.ownerId,
    last_updated_by_user_id: ctx.ownerId,
  };
  const filesPerVariant = kind === 'digital' ? rng.int(1, 2) : 0;
  return { index, row, variants, stockIn, storesIn, filesPerVariant };
}

interface PlanContext {
  businessId: number;
  ownerId: number;
  taxonomyIds: number[];
}

function variantRow(
  businessId: number,
  productId: number,
  index: number,
  position: number,
  v: PlannedVariant,
): Insertable<VariantsTable> {
  const price = normalizeMoney(v.price);
  const cogs = normalizeMoney(Math.round(v.price * 0.6));
  const reseller = normalizeMoney(Math.round(v.price * 0.85));
  return {
    business_id: businessId,
    product_id: productId,
    unique_id: `variant_${randomString(24)}`,
    position,
    option1_value: v.values[0],
    option2_value: v.values[1],
    option3_value: v.values[2],
    sku: `NX-${String(index).padStart(6, '0')}-${position + 1}`,
    price,
    price_bt: beforeTax(price, BENCH_CATALOG.taxRate),
    cogs,
    cogs_bt: beforeTax(cogs, BENCH_CATALOG.taxRate),
    reseller_price: reseller,
    reseller_price_bt: beforeTax(reseller, BENCH_CATALOG.taxRate),
    weight: v.weight,
    pricing_type: v.interval ? 'recurring' : 'one_time',
    interval: v.interval?.unit ?? null,
    interval_count: v.interval?.count ?? null,
    images: v.images,
    metadata: '{}',
  };
}

async function inChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>) {
  for (let start = 0; start < rows.length; start += size) await insert(rows.slice(start, start + size));
}

async function countOf(
  db: Db,
  table:
    | 'products'
    | 'variants'
    | 'warehouse_stocks'
    | 'store_products'
    | 'digital_product_files'
    | 'bundles',
  businessId: number,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('business_id', '=', businessId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function ensureBusiness(db: Db) {
  const found = await findBusinessByUsername(db, BENCH_CATALOG.username);
  if (found) {
    const ownerId = await findMemberUserId(db, found.id, BENCH_CATALOG.ownerEmail);
    if (ownerId === undefined) throw new Error(`${BENCH_CATALOG.username} exists without its owner`);
    return { id: found.id, unique_id: found.unique_id, ownerId };
  }
  const created = await createBusiness(db, {
    accountHolder: BENCH_CATALOG.accountHolder,
    username: BENCH_CATALOG.username,
    owner: { email: BENCH_CATALOG.ownerEmail, name: BENCH_CATALOG.ownerName },
  });
  await db
    .updateTable('businesses')
    .set({ tax_rate: BENCH_CATALOG.taxRate })
    .where('id', '=', created.business.id)
    .execute();
  return { id: created.business.id, unique_id: created.business.unique_id, ownerId: created.owner.id };
}

async function ensureWarehouses(db: Db, businessId: number) {
  const existing = await db
    .selectFrom('warehouses')
    .select(['id', 'unique_id', 'name'])
    .where('business_id', '=', businessId)
    .orderBy('id')
    .execute();
  const missing = BENCH_CATALOG.warehouses.filter((name) => !existing.some((w) => w.name === name));
  if (missing.length) {
    // A Jakarta kelurahan when the regions are loaded (they always are after openRuntime).
    const location = await db.selectFrom('locations').select('id').orderBy('id').limit(1).executeTakeFirst();
    await db
      .insertInto('warehouses')
      .values(
        missing.map((name) => ({
          business_id: businessId,
          unique_id: `warehouse_${randomString(24)}`,
          name,
          contact_name: 'Admin Gudang',
          contact_phone: '081200000000',
          address: `Jl. ${name.replace('Gudang ', '')} Raya No. 1`,
          location_id: location?.id ?? null,
        })),
      )
      .execute();
  }
  const all = await db
    .selectFrom('warehouses')
    .select(['id', 'unique_id', 'name'])
    .where('business_id', '=', businessId)
    .execute();
  return BENCH_CATALOG.warehouses.map((name) => all.find((w) => w.name === name)!);
}

async function ensureStores(db: Db, businessId: number) {
  const stores = [];
  for (const name of BENCH_CATALOG.stores) {
    const store =
      (await findStoreByName(db, businessId, name)) ?? (await createStore(db, businessId, { name }));
    stores.push({ id: store.id, unique_id: store.unique_id, name });
  }
  return stores;
}

/** Inserts one batch of planned products with their variants, stock and store listings. */
async function insertBatch(
  db: Db,
  businessId: number,
  plans: PlannedProduct[],
  warehouses: Array<{ id: number }>,
  stores: Array<{ id: number }>,
) {
  const products = await db
    .insertInto('products')
    .values(plans.map((p) => p.row))
    .returning(['id', 'slug'])
    .execute();
  const productId = new Map(products.map((p) => [p.slug, p.id]));
  const variantRows: Insertable<VariantsTable>[] = [];
  const stockOf = new Map<string, number[]>();
  const filesOf = new Map<string, { plan: PlannedProduct; position: number }>();
  for (const plan of plans) {
    const id = productId.get(plan.row.slug)!;
    for (const [position, variant] of plan.variants.entries()) {
      const row = variantRow(businessId, id, plan.index, position, variant);
      variantRows.push(row);
      if (plan.stockIn.length) stockOf.set(row.unique_id, plan.stockIn);
      if (plan.filesPerVariant) filesOf.set(row.unique_id, { plan, position });
    }
  }
  const variantIds: Array<{ id: number; unique_id: string }> = [];
  await inChunks(variantRows, VARIANT_CHUNK, async (chunk) => {
    variantIds.push(
      ...(await db.insertInto('variants').values(chunk).returning(['id', 'unique_id']).execute()),
    );
  });

  const stocks: Insertable<WarehouseStocksTable>[] = [];
  for (const v of variantIds) {
    for (const w of stockOf.get(v.unique_id) ?? []) {
      // Roughly one variant in ten is sold out in that warehouse.
      const qty = (v.id * 7919 + w * 104729) % 10 === 0 ? 0 : ((v.id * 31 + w * 17) % 500) + 1;
      stocks.push({ warehouse_id: warehouses[w]!.id, variant_id: v.id, business_id: businessId, qty });
    }
  }
  await inChunks(stocks, LINK_CHUNK, (chunk) => db.insertInto('warehouse_stocks').values(chunk).execute());

  const files: Insertable<DigitalProductFilesTable>[] = [];
  for (const v of variantIds) {
    const owner = filesOf.get(v.unique_id);
    if (!owner) continue;
    for (let k = 0; k < owner.plan.filesPerVariant; k++) {
      files.push({
        business_id: businessId,
        product_id: productId.get(owner.plan.row.slug)!,
        variant_id: v.id,
        name: k === 0 ? `${owner.plan.row.slug}-${owner.position + 1}.pdf` : 'bonus-worksheet.zip',
        content_type: k === 0 ? 'application/pdf' : 'application/zip',
        size_in_bytes: 250_000 + ((v.id * 7919) % 20_000_000),
        // The key shape product-content gives uploads; nothing is stored under it.
        storage_key: `b${businessId}-dpf-${randomString(32)}`,
      });
    }
  }
  await inChunks(files, LINK_CHUNK, (chunk) =>
    db.insertInto('digital_product_files').values(chunk).execute(),
  );

  const listings: Insertable<StoreProductsTable>[] = plans.flatMap((plan) =>
    plan.storesIn.map((s) => ({
      store_id: stores[s]!.id,
      product_id: productId.get(plan.row.slug)!,
      business_id: businessId,
    })),
  );
  await inChunks(listings, LINK_CHUNK, (chunk) => db.insertInto('store_products').values(chunk).execute());
  return {
    products: products.length,
    variants: variantIds.length,
    stocks: stocks.length,
    listings: listings.length,
    files: files.length,
  };
}

/**
 * Bundles of 2-3 variants taken at fixed strides through the catalog (bundle 0 holds two of the
 * showcase product's variants), each with 1-2 price options sold in the main store.
 */
async function ensureBundles(
  db: Db,
  business: { id: number; ownerId: number },
  store: { id: number },
  showcaseId: number,
): Promise<number> {
  const existing = new Set(
    (await db.selectFrom('bundles').select('name').where('business_id', '=', business.id).execute()).map(
      (b) => b.name,
    ),
  );
  const wanted = Array.from({ length: BENCH_CATALOG.bundles }, (_, b) => ({
    b,
    name: `Paket Hemat ${b + 1}`,
  }));
  const missing = wanted.filter((w) => !existing.has(w.name));
  if (missing.length === 0) return 0;
  const showcase = await db
    .selectFrom('variants')
    .select(['id', 'price'])
    .where('product_id', '=', showcaseId)
    .orderBy('position')
    .limit(2)
    .execute();
  const pool = await db
    .selectFrom('variants')
    .select(['id', 'price'])
    .where('business_id', '=', business.id)
    .where('pricing_type', '=', 'one_time')
    .orderBy('id')
    .limit(BENCH_CATALOG.bundles * 50)
    .execute();
  for (const { b, name } of missing) {
    const rng = prng(1_000_000 + b);
    const lines =
      b === 0
        ? showcase
        : [
            ...new Set(
              Array.from({ length: rng.int(2, 3) }, (_, k) => pool[(b * 50 + k * 17) % pool.length]!),
            ),
          ];
    await db.transaction().execute(async (trx) => {
      const bundle = await trx
        .insertInto('bundles')
        .values({
          business_id: business.id,
          name,
          public_name: `Paket Hemat Spesial ${b + 1}`,
          description: 'Lebih hemat dibeli sekaligus.',
          labels: ['Promo'],
          created_by_user_id: business.ownerId,
          last_updated_by_user_id: business.ownerId,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('bundle_lines')
        .values(
          lines.map(
            (line, position): Insertable<BundleLinesTable> => ({
              business_id: business.id,
              bundle_id: bundle.id,
              variant_id: line.id,
              quantity: position === 0 ? 2 : 1,
              position,
            }),
          ),
        )
        .execute();
      const total = lines.reduce((sum, line, i) => sum + Number(line.price) * (i === 0 ? 2 : 1), 0);
      const options = Array.from({ length: rng.int(1, 2) }, (_, k): Insertable<BundlePriceOptionsTable> => {
        const price = normalizeMoney(Math.round((total * (k === 0 ? 0.9 : 0.85)) / 1000) * 1000);
        return {
          business_id: business.id,
          bundle_id: bundle.id,
          unique_id: `bpo_${randomString(24)}`,
          name: k === 0 ? 'Harga Normal' : 'Harga Reseller',
          slug: `paket-hemat-${b + 1}-${k + 1}`,
          price,
          price_bt: beforeTax(price, BENCH_CATALOG.taxRate),
          position: k,
        };
      });
      const inserted = await trx.insertInto('bundle_price_options').values(options).returning('id').execute();
      await trx
        .insertInto('store_bundle_price_options')
        .values(
          inserted.map(
            (o): Insertable<StoreBundlePriceOptionsTable> => ({
              store_id: store.id,
              bundle_price_option_id: o.id,
              business_id: business.id,
            }),
          ),
        )
        .execute();
    });
  }
  return missing.length;
}

export interface EnsureOptions {
  products: number;
  /** Delete the benchmark business (everything cascades) and build it again. */
  reset?: boolean;
  /**
   * Leave the planner statistics as they are after inserting (default: ANALYZE the catalog
   * tables, as autovacuum soon would on a server; PGlite has no autovacuum).
   */
  skipAnalyze?: boolean;
  log?: (line: string) => void;
}

/** The tables the generator fills; ANALYZE gives the planner their real row counts and value spread. */
const CATALOG_TABLES = [
  'products',
  'variants',
  'warehouse_stocks',
  'store_products',
  'digital_product_files',
  'bundles',
  'bundle_lines',
  'bundle_price_options',
  'store_bundle_price_options',
  'warehouses',
] as const;

/** Creates the benchmark catalog, or completes it up to `products` products; never duplicates rows. */
export async function ensureBenchCatalog(db: Db, options: EnsureOptions): Promise<BenchCatalog> {
  const log = options.log ?? (() => undefined);
  const started = performance.now();
  if (options.reset) {
    const found = await findBusinessByUsername(db, BENCH_CATALOG.username);
    if (found) {
      log(`deleting the benchmark business ${BENCH_CATALOG.username} (--reset) ...`);
      await db.deleteFrom('businesses').where('id', '=', found.id).execute();
    }
  }
  const business = await ensureBusiness(db);
  const stores = await ensureStores(db, business.id);
  const warehouses = await ensureWarehouses(db, business.id);
  const taxonomyIds = (
    await db.selectFrom('product_taxonomies').select('id').where('level', '>=', 3).orderBy('id').execute()
  ).map((t) => t.id);

  const slugs = new Set(
    (
      await db
        .selectFrom('products')
        .select('slug')
        .where('business_id', '=', business.id)
        .where('slug', 'like', 'bench-%')
        .execute()
    ).map((p) => p.slug),
  );
  const todo: number[] = [];
  for (let i = 0; i < options.products; i++) if (!slugs.has(slugOf(i))) todo.push(i);
  if (todo.length) log(`inserting ${todo.length} products (${slugs.size} already there) ...`);

  const ctx: PlanContext = { businessId: business.id, ownerId: business.ownerId, taxonomyIds };
  const inserted: CatalogCounts = {
    products: 0,
    variants: 0,
    stock_rows: 0,
    store_products: 0,
    digital_files: 0,
    bundles: 0,
  };
  for (let start = 0; start < todo.length; start += PRODUCT_BATCH) {
    const plans = todo.slice(start, start + PRODUCT_BATCH).map((i) => planProduct(i, ctx));
    // One transaction per batch: an interrupted run leaves whole products, which the next run skips.
    const batch = await db
      .transaction()
      .execute((trx) => insertBatch(trx, business.id, plans, warehouses, stores));
    inserted.products += batch.products;
    inserted.variants += batch.variants;
    inserted.stock_rows += batch.stocks;
    inserted.store_products += batch.listings;
    inserted.digital_files += batch.files;
    if (todo.length > PRODUCT_BATCH) log(`  ${inserted.products}/${todo.length} products`);
  }

  const showcase = await db
    .selectFrom('products')
    .select(['id', 'uuid', 'slug'])
    .where('business_id', '=', business.id)
    .where('slug', '=', SHOWCASE_SLUG)
    .executeTakeFirstOrThrow();
  inserted.bundles = await ensureBundles(db, business, stores[0]!, showcase.id);
  const analyzed = !options.skipAnalyze && (inserted.products > 0 || inserted.bundles > 0);
  if (analyzed) {
    log('analyzing the catalog tables ...');
    await sql`analyze ${sql.join(CATALOG_TABLES.map((table) => sql.table(table)))}`.execute(db);
  }

  const showcaseVariants = await db
    .selectFrom('variants')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('product_id', '=', showcase.id)
    .executeTakeFirstOrThrow();
  return {
    business_id: business.id,
    business_unique_id: business.unique_id,
    business_username: BENCH_CATALOG.username,
    owner_user_id: business.ownerId,
    stores,
    warehouses,
    totals: {
      products: await countOf(db, 'products', business.id),
      variants: await countOf(db, 'variants', business.id),
      stock_rows: await countOf(db, 'warehouse_stocks', business.id),
      store_products: await countOf(db, 'store_products', business.id),
      digital_files: await countOf(db, 'digital_product_files', business.id),
      bundles: await countOf(db, 'bundles', business.id),
    },
    inserted,
    showcase_product: { ...showcase, variants: Number(showcaseVariants.count) },
    analyzed,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * A newly minted secret API key acting for the owner. Stored keys are hashes, so each run mints
 * one; at the 10-key limit the oldest benchmark keys are revoked (like `seed demo`).
 */
export async function mintBenchKey(db: Db, catalog: BenchCatalog): Promise<string> {
  const key = await createApiKey(db, {
    businessId: catalog.business_id,
    userId: catalog.owner_user_id,
    name: BENCH_CATALOG.apiKeyName,
    kind: 'secret',
    rotateName: BENCH_CATALOG.apiKeyName,
  });
  return key.token;
}
