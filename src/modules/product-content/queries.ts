import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db } from '../../db/database.ts';
import { escapeLike } from '../../db/like.ts';
import { PREPARED } from '../../db/prepared.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import type { DigitalProductFilesTable, FollowUpChatsTable, ProductKnowledgeItemsTable } from './tables.ts';

/** Whose knowledge items: a product's own (variant_id null) or one variant's. */
export type KnowledgeOwner = { kind: 'product'; productId: number } | { kind: 'variant'; variantId: number };
/** Whose follow-up chats: a product's or a bundle's. */
export type ChatOwner = { kind: 'product' | 'bundle'; id: number };

const chatColumn = (owner: ChatOwner) => (owner.kind === 'product' ? 'product_id' : 'bundle_id');

// ---- owners --------------------------------------------------------------------------------

export function findProduct(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('products')
    .select(['id', 'name', 'public_name', 'description', 'slug'])
    .where('business_id', '=', businessId)
    .where('id', '=', productId)
    .executeTakeFirst();
}

export function findVariant(db: Db, businessId: number, variantId: number) {
  return db
    .selectFrom('variants')
    .select(['id', 'product_id'])
    .where('business_id', '=', businessId)
    .where('id', '=', variantId)
    .executeTakeFirst();
}

export function findBundle(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundles')
    .select(['id', 'name', 'public_name', 'description'])
    .where('business_id', '=', businessId)
    .where('id', '=', bundleId)
    .executeTakeFirst();
}

// ---- knowledge items -----------------------------------------------------------------------

function knowledgeItems(db: Db, businessId: number, owner: KnowledgeOwner) {
  const query = db.selectFrom('product_knowledge_items').selectAll().where('business_id', '=', businessId);
  return owner.kind === 'product'
    ? query.where('product_id', '=', owner.productId).where('variant_id', 'is', null)
    : query.where('variant_id', '=', owner.variantId);
}
export type KnowledgeItemRow = Awaited<ReturnType<typeof findKnowledgeItem>> & {};

export function listKnowledgeItems(db: Db, businessId: number, owner: KnowledgeOwner, window: KeysetWindow) {
  return applyKeyset(knowledgeItems(db, businessId, owner), ['id'], 'asc', window).execute();
}

export function findKnowledgeItem(db: Db, businessId: number, owner: KnowledgeOwner, id: string) {
  return knowledgeItems(db, businessId, owner).where('id', '=', id).executeTakeFirst();
}

/** One past the highest position, so an item created without a position goes last. */
export async function nextKnowledgePosition(db: Db, businessId: number, owner: KnowledgeOwner) {
  const row = await knowledgeItems(db, businessId, owner)
    .clearSelect()
    .select((eb) => eb.fn.max('position').as('max'))
    .executeTakeFirst();
  return row?.max === null || row?.max === undefined ? 0 : Number(row.max) + 1;
}

export function insertKnowledgeItems(db: Db, rows: Insertable<ProductKnowledgeItemsTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('product_knowledge_items').values(rows).returningAll().execute();
}

export function updateKnowledgeItem(
  db: Db,
  businessId: number,
  id: string,
  values: Updateable<ProductKnowledgeItemsTable>,
) {
  return db
    .updateTable('product_knowledge_items')
    .set({ ...values, updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteKnowledgeItem(db: Db, businessId: number, id: string) {
  await db
    .deleteFrom('product_knowledge_items')
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .execute();
}

/** Every knowledge item of a product, its variants' included (for duplication). */
export function listAllKnowledgeItems(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('product_knowledge_items')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('product_id', '=', productId)
    .orderBy('id')
    .execute();
}

// ---- follow-up chats -----------------------------------------------------------------------

function chats(db: Db, businessId: number, owner: ChatOwner) {
  return db
    .selectFrom('follow_up_chats')
    .selectAll()
    .where('business_id', '=', businessId)
    .where(chatColumn(owner), '=', owner.id);
}
export type FollowUpChatRow = Awaited<ReturnType<typeof findChat>> & {};

export function listChats(db: Db, businessId: number, owner: ChatOwner, window: KeysetWindow) {
  return applyKeyset(chats(db, businessId, owner), ['id'], 'asc', window).execute();
}

export function listAllChats(db: Db, businessId: number, owner: ChatOwner) {
  return chats(db, businessId, owner).orderBy('id').execute();
}

export function findChat(db: Db, businessId: number, owner: ChatOwner, id: number) {
  return chats(db, businessId, owner).where('id', '=', id).executeTakeFirst();
}

/** The follow-up chats of any of these products or bundles (an order's offers), by id. */
export function listChatsOfOffers(db: Db, businessId: number, productIds: number[], bundleIds: number[]) {
  if (productIds.length === 0 && bundleIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('follow_up_chats')
    .selectAll()
    .where('business_id', '=', businessId)
    .where((eb) =>
      eb.or([
        ...(productIds.length > 0 ? [eb('product_id', 'in', productIds)] : []),
        ...(bundleIds.length > 0 ? [eb('bundle_id', 'in', bundleIds)] : []),
      ]),
    )
    .orderBy('id')
    .execute();
}

export type NewChat = Insertable<FollowUpChatsTable>;

export function insertChats(db: Db, rows: NewChat[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('follow_up_chats').values(rows).returningAll().execute();
}

export function updateChat(db: Db, businessId: number, id: number, values: Updateable<FollowUpChatsTable>) {
  return db
    .updateTable('follow_up_chats')
    .set({ ...values, updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteChat(db: Db, businessId: number, id: number) {
  await db.deleteFrom('follow_up_chats').where('business_id', '=', businessId).where('id', '=', id).execute();
}

/** An owner has at most one default chat: setting a new one clears the others. */
export async function clearDefaultChats(db: Db, businessId: number, owner: ChatOwner, exceptId?: number) {
  let query = db
    .updateTable('follow_up_chats')
    .set({ is_default: false, updated_at: new Date() })
    .where('business_id', '=', businessId)
    .where(chatColumn(owner), '=', owner.id)
    .where('is_default', '=', true);
  if (exceptId !== undefined) query = query.where('id', '!=', exceptId);
  await query.execute();
}

/** Row lock on the owner: serializes default-flag changes so two chats never both end up default. */
export async function lockChatOwner(db: Db, owner: ChatOwner) {
  const table = owner.kind === 'product' ? 'products' : 'bundles';
  await db.selectFrom(table).select('id').where('id', '=', owner.id).forUpdate().execute();
}

// ---- digital product files -----------------------------------------------------------------

function files(db: Db, businessId: number, variantId: number) {
  return db
    .selectFrom('digital_product_files')
    .selectAll()
    .where('business_id', '=', businessId)
    .where('variant_id', '=', variantId);
}
export type DigitalProductFileRow = Awaited<ReturnType<typeof findFile>> & {};

export function listFiles(db: Db, businessId: number, variantId: number, window: KeysetWindow) {
  return applyKeyset(files(db, businessId, variantId), ['id'], 'asc', window).execute();
}

export function findFile(db: Db, businessId: number, variantId: number, id: number) {
  return files(db, businessId, variantId).where('id', '=', id).executeTakeFirst();
}

export function insertFiles(db: Db, rows: Insertable<DigitalProductFilesTable>[]) {
  if (rows.length === 0) return Promise.resolve([]);
  return db.insertInto('digital_product_files').values(rows).returningAll().execute();
}

export async function deleteFile(db: Db, businessId: number, id: number) {
  await db
    .deleteFrom('digital_product_files')
    .where('business_id', '=', businessId)
    .where('id', '=', id)
    .execute();
}

export async function isStorageKeyReferenced(db: Db, storageKey: string): Promise<boolean> {
  const row = await db
    .selectFrom('digital_product_files')
    .select('id')
    .where('storage_key', '=', storageKey)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The keys among `keys` that a file record still points at (copies share stored objects). */
export async function referencedStorageKeys(db: Db, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('digital_product_files')
    .select('storage_key')
    .distinct()
    .where('storage_key', 'in', keys)
    .execute();
  return new Set(rows.map((row) => row.storage_key));
}

/** Files of many variants in one query (a product's variants, a page of bundle lines). */
const DIGITAL_FILE_COLUMNS = [
  'id',
  'business_id',
  'product_id',
  'variant_id',
  'name',
  'content_type',
  'size_in_bytes',
  'storage_key',
  'created_at',
] as const;

export function listFilesOfVariants(db: Db, businessId: number, variantIds: readonly number[]) {
  if (variantIds.length === 0) return Promise.resolve([]);
  return (
    db
      .selectFrom('digital_product_files')
      // Named, not `*`: a prepared statement (db/prepared.ts) must keep its result's columns.
      .select(DIGITAL_FILE_COLUMNS)
      .where('business_id', '=', businessId)
      .where(sql<boolean>`variant_id = any(${variantIds}::bigint[])`)
      .orderBy('id')
      .modifyFront(PREPARED)
      .execute()
  );
}

// ---- slugs ---------------------------------------------------------------------------------

/** Slugs already taken that start with `prefix`, to pick a free `-copy`, `-copy-2`, ... */
export async function productSlugsLike(db: Db, businessId: number, prefix: string): Promise<string[]> {
  const rows = await db
    .selectFrom('products')
    .select('slug')
    .where('business_id', '=', businessId)
    .where('slug', 'like', `${escapeLike(prefix)}%`)
    .execute();
  return rows.map((row) => row.slug);
}

export async function bundlePriceOptionSlugsLike(db: Db, businessId: number, prefixes: string[]) {
  if (prefixes.length === 0) return [];
  const rows = await db
    .selectFrom('bundle_price_options')
    .select('slug')
    .where('business_id', '=', businessId)
    .where((eb) => eb.or(prefixes.map((prefix) => eb('slug', 'like', `${escapeLike(prefix)}%`))))
    .execute();
  return rows.map((row) => row.slug);
}

// ---- facts for generated follow-up texts ---------------------------------------------------

export function listOfferVariants(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('variants')
    .select(['option1_value', 'option2_value', 'option3_value', 'price'])
    .where('business_id', '=', businessId)
    .where('product_id', '=', productId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export function listOfferBundleLines(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundle_lines as l')
    .innerJoin('variants as v', 'v.id', 'l.variant_id')
    .innerJoin('products as p', 'p.id', 'v.product_id')
    .select([
      'l.quantity',
      'p.name',
      'p.public_name',
      'v.option1_value',
      'v.option2_value',
      'v.option3_value',
    ])
    .where('l.business_id', '=', businessId)
    .where('l.bundle_id', '=', bundleId)
    .orderBy('l.position')
    .orderBy('l.id')
    .execute();
}

export function listOfferPriceOptions(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundle_price_options')
    .select(['name', 'price'])
    .where('business_id', '=', businessId)
    .where('bundle_id', '=', bundleId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}
