import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { ConversionPlatform } from '../../providers/conversions/provider.ts';
import '../../providers/conversions/tables.ts';
import type { PixelPlacement } from './tables.ts';

export interface PixelTarget {
  id: number;
  placement: PixelPlacement;
}

/** The store's pixels of one platform (ids and placement only: the request path never reads tokens). */
export async function pixelTargets(
  db: Db,
  businessId: number,
  storeId: number,
  platform: ConversionPlatform,
): Promise<PixelTarget[]> {
  return db
    .selectFrom('store_conversion_pixels')
    .select(['id', 'placement'])
    .where('business_id', '=', businessId)
    .where('store_id', '=', storeId)
    .where('platform', '=', platform)
    .orderBy('id')
    .execute();
}

export async function pixelForDelivery(db: Db, businessId: number, storeId: number, id: number) {
  return db
    .selectFrom('store_conversion_pixels')
    .select(['id', 'platform', 'pixel_id', 'access_token_ciphertext', 'test_event_code'])
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .where('store_id', '=', storeId)
    .executeTakeFirst();
}

export interface PixelWrite {
  businessId: number;
  storeId: number;
  platform: ConversionPlatform;
  pixelId: string;
  tokenCiphertext: string;
  testEventCode: string | null;
  placement: PixelPlacement;
}

/** Setting a pixel twice replaces its token and options. */
export async function upsertPixel(db: Db, pixel: PixelWrite) {
  return db
    .insertInto('store_conversion_pixels')
    .values({
      business_id: pixel.businessId,
      store_id: pixel.storeId,
      platform: pixel.platform,
      pixel_id: pixel.pixelId,
      access_token_ciphertext: pixel.tokenCiphertext,
      test_event_code: pixel.testEventCode,
      placement: pixel.placement,
    })
    .onConflict((oc) =>
      oc.columns(['store_id', 'platform', 'pixel_id']).doUpdateSet({
        access_token_ciphertext: pixel.tokenCiphertext,
        test_event_code: pixel.testEventCode,
        placement: pixel.placement,
        updated_at: sql`now()`,
      }),
    )
    .returning(['id', 'platform', 'pixel_id', 'test_event_code', 'placement', 'created_at', 'updated_at'])
    .executeTakeFirstOrThrow();
}

export async function listPixels(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('store_conversion_pixels')
    .select(['id', 'platform', 'pixel_id', 'test_event_code', 'placement', 'created_at', 'updated_at'])
    .where('business_id', '=', businessId)
    .where('store_id', '=', storeId)
    .orderBy('platform')
    .orderBy('id')
    .execute();
}

export async function deletePixel(
  db: Db,
  businessId: number,
  storeId: number,
  platform: ConversionPlatform,
  pixelId: string,
): Promise<boolean> {
  const rows = await db
    .deleteFrom('store_conversion_pixels')
    .where('business_id', '=', businessId)
    .where('store_id', '=', storeId)
    .where('platform', '=', platform)
    .where('pixel_id', '=', pixelId)
    .returning('id')
    .execute();
  return rows.length > 0;
}

export async function storeOfBusiness(db: Db, businessId: number, storeId: number) {
  return db
    .selectFrom('stores')
    .select(['id', 'unique_id', 'name'])
    .where('business_id', '=', businessId)
    .where('id', '=', storeId)
    .executeTakeFirst();
}

export async function sandboxEvents(db: Db, businessId: number, storeId: number, limit: number) {
  return db
    .selectFrom('conversion_sandbox_events')
    .select(['id', 'platform', 'pixel_id', 'test_event_code', 'request_body', 'job_id', 'created_at'])
    .where('business_id', '=', businessId)
    .where('store_id', '=', storeId)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export interface CatalogItem {
  kind: 'variant' | 'bundle_price_option';
  id: number;
  uuid: string | null;
  unique_id: string;
  name: string;
  price: string;
  currency: string;
}

/**
 * Variants (by numeric id, uuid or `variant_…`) and bundle price options (by id or `bpo_…`) of one
 * business, two queries however many items the event names.
 */
export async function catalogItems(
  db: Db,
  businessId: number,
  variants: { ids: number[]; uuids: string[]; uniqueIds: string[] },
  options: { ids: number[]; uniqueIds: string[] },
): Promise<CatalogItem[]> {
  const found: CatalogItem[] = [];
  if (variants.ids.length + variants.uuids.length + variants.uniqueIds.length > 0) {
    const rows = await db
      .selectFrom('variants as v')
      .innerJoin('products as p', 'p.id', 'v.product_id')
      .select([
        'v.id',
        'v.uuid',
        'v.unique_id',
        'v.price',
        'v.currency',
        'v.option1_value',
        'v.option2_value',
        'v.option3_value',
        sql<string>`coalesce(p.public_name, p.name)`.as('product_name'),
      ])
      .where('v.business_id', '=', businessId)
      .where((eb) =>
        eb.or([
          ...(variants.ids.length ? [eb('v.id', 'in', variants.ids)] : []),
          ...(variants.uuids.length ? [eb(sql`v.uuid::text`, 'in', variants.uuids)] : []),
          ...(variants.uniqueIds.length ? [eb('v.unique_id', 'in', variants.uniqueIds)] : []),
        ]),
      )
      .execute();
    for (const row of rows) {
      const options = [row.option1_value, row.option2_value, row.option3_value].filter(Boolean).join(' / ');
      found.push({
        kind: 'variant',
        id: row.id,
        uuid: row.uuid,
        unique_id: row.unique_id,
        name: options ? `${row.product_name} - ${options}` : row.product_name,
        price: row.price,
        currency: row.currency,
      });
    }
  }
  if (options.ids.length + options.uniqueIds.length > 0) {
    const rows = await db
      .selectFrom('bundle_price_options as o')
      .innerJoin('bundles as b', 'b.id', 'o.bundle_id')
      .select([
        'o.id',
        'o.unique_id',
        'o.price',
        'o.name',
        sql<string>`coalesce(b.public_name, b.name)`.as('bundle_name'),
      ])
      .where('o.business_id', '=', businessId)
      .where((eb) =>
        eb.or([
          ...(options.ids.length ? [eb('o.id', 'in', options.ids)] : []),
          ...(options.uniqueIds.length ? [eb('o.unique_id', 'in', options.uniqueIds)] : []),
        ]),
      )
      .execute();
    for (const row of rows) {
      found.push({
        kind: 'bundle_price_option',
        id: row.id,
        uuid: null,
        unique_id: row.unique_id,
        name: `${row.bundle_name} - ${row.name}`,
        price: row.price,
        currency: 'IDR',
      });
    }
  }
  return found;
}
