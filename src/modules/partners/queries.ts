import type { Db } from '../../db/database.ts';
import { applyKeyset, type KeysetWindow } from '../../http/pagination.ts';
import type { PartnershipType } from './tables.ts';

const PARTNER_COLUMNS = [
  'b.id as partner_id',
  'b.unique_id as partner_unique_id',
  'b.username as partner_username',
  'b.account_holder as partner_account_holder',
  'b.email as partner_email',
  'b.phone as partner_phone',
  'b.is_active as partner_is_active',
] as const;

const PRODUCT_PARTNER_COLUMNS = [
  'pp.id',
  'pp.partnership_type',
  'pp.affiliate_status',
  'pp.message_to_product_owner',
  'pp.store_id',
  'pp.requested_at',
  'pp.approved_at',
  'pp.rejected_at',
  'pp.created_at',
  ...PARTNER_COLUMNS,
] as const;

const BUNDLE_PARTNER_COLUMNS = ['bp.id', 'bp.created_at', ...PARTNER_COLUMNS] as const;

const SETTINGS_COLUMNS = [
  'p.id',
  'p.name',
  'p.is_product_sharing',
  'p.is_affiliate_enabled',
  'p.is_affiliate_auto_accept',
  'p.is_affiliate_pro_enabled',
  'p.affiliate_commission_rate',
  'p.affiliate_pro_commission_rate',
  'p.partnership_sales_letter',
  'p.last_updated_at',
  'u.id as last_updated_by_id',
  'u.name as last_updated_by_name',
  'u.email as last_updated_by_email',
] as const;

// ---- products -------------------------------------------------------------------------------

/** The product's partnership settings, only when the calling business owns it. */
export function findOwnedProduct(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('products as p')
    .leftJoin('users as u', 'u.id', 'p.last_updated_by_user_id')
    .select(SETTINGS_COLUMNS)
    .where('p.id', '=', productId)
    .where('p.business_id', '=', businessId)
    .executeTakeFirst();
}
export type ProductSettingsRow = NonNullable<Awaited<ReturnType<typeof findOwnedProduct>>>;

/** Row lock on the product: a settings change and its clean-up see one consistent partner list. */
export async function lockOwnedProduct(db: Db, businessId: number, productId: number): Promise<boolean> {
  const row = await db
    .selectFrom('products')
    .select('id')
    .where('id', '=', productId)
    .where('business_id', '=', businessId)
    .forUpdate()
    .executeTakeFirst();
  return row !== undefined;
}

export interface PartnershipSettingsUpdate {
  is_product_sharing: boolean;
  is_affiliate_enabled: boolean;
  is_affiliate_auto_accept: boolean;
  is_affiliate_pro_enabled: boolean;
  affiliate_commission_rate: string | null;
  affiliate_pro_commission_rate: string | null;
  partnership_sales_letter: string | null;
}

export async function updatePartnershipSettings(
  db: Db,
  businessId: number,
  productId: number,
  settings: PartnershipSettingsUpdate,
  userId: number | null,
): Promise<void> {
  await db
    .updateTable('products')
    .set({ ...settings, last_updated_at: new Date(), last_updated_by_user_id: userId })
    .where('id', '=', productId)
    .where('business_id', '=', businessId)
    .execute();
}

/** The active business a partner_unique_id names (unique ids are stored upper-case). */
export function findBusinessByUniqueId(db: Db, uniqueId: string) {
  return db
    .selectFrom('businesses')
    .select(['id', 'is_active'])
    .where('unique_id', '=', uniqueId)
    .executeTakeFirst();
}

function productPartnerQuery(db: Db, businessId: number, productId: number) {
  return db
    .selectFrom('product_partners as pp')
    .innerJoin('businesses as b', 'b.id', 'pp.partner_business_id')
    .select(PRODUCT_PARTNER_COLUMNS)
    .where('pp.business_id', '=', businessId)
    .where('pp.product_id', '=', productId);
}

/** One page of a product's partners, newest first (the `product_partners_product_id` index). */
export function listProductPartners(db: Db, businessId: number, productId: number, window: KeysetWindow) {
  return applyKeyset(productPartnerQuery(db, businessId, productId), ['pp.id'], 'desc', window).execute();
}
export type ProductPartnerRow = Awaited<ReturnType<typeof listProductPartners>>[number];

export function findProductPartner(db: Db, businessId: number, productId: number, id: number) {
  return productPartnerQuery(db, businessId, productId).where('pp.id', '=', id).executeTakeFirst();
}

/** Inserts unless the business already partners on the product (the unique index decides). */
export function insertProductPartner(
  db: Db,
  values: {
    businessId: number;
    productId: number;
    partnerBusinessId: number;
    partnershipType: PartnershipType;
    userId: number | null;
  },
) {
  return db
    .insertInto('product_partners')
    .values({
      business_id: values.businessId,
      product_id: values.productId,
      partner_business_id: values.partnerBusinessId,
      partnership_type: values.partnershipType,
      // The owner adding a partner is the approval: there is no request to wait for.
      affiliate_status: 'approved',
      approved_at: new Date(),
      created_by_user_id: values.userId,
    })
    .onConflict((oc) => oc.columns(['product_id', 'partner_business_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function deleteProductPartner(db: Db, businessId: number, productId: number, id: number) {
  return db
    .deleteFrom('product_partners')
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .where('product_id', '=', productId)
    .returning('partner_business_id')
    .executeTakeFirst();
}

/** Approved partners of these types on the product: the ones a program switch grants or revokes. */
function approvedPartnersOfTypes(db: Db, productId: number, types: readonly PartnershipType[]) {
  return db
    .selectFrom('product_partners as pp')
    .where('pp.product_id', '=', productId)
    .where('pp.affiliate_status', '=', 'approved')
    .where('pp.partnership_type', 'in', types);
}

export async function countPartnersOfTypes(
  db: Db,
  productId: number,
  types: readonly PartnershipType[],
): Promise<number> {
  if (types.length === 0) return 0;
  const row = await approvedPartnersOfTypes(db, productId, types)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function samplePartnersOfTypes(
  db: Db,
  productId: number,
  types: readonly PartnershipType[],
  limit: number,
) {
  if (types.length === 0) return Promise.resolve([]);
  return approvedPartnersOfTypes(db, productId, types)
    .innerJoin('businesses as b', 'b.id', 'pp.partner_business_id')
    .select(['pp.id', 'pp.partnership_type', 'pp.affiliate_status', ...PARTNER_COLUMNS])
    .orderBy('pp.id', 'desc')
    .limit(limit)
    .execute();
}
export type ImpactPartnerRow = Awaited<ReturnType<typeof samplePartnersOfTypes>>[number];

/** Stores of the product's approved partners of these types that list the product today. */
function partnerListingsOfTypes(db: Db, productId: number, types: readonly PartnershipType[]) {
  return db
    .selectFrom('store_products as sp')
    .innerJoin('stores as s', 's.id', 'sp.store_id')
    .where('sp.product_id', '=', productId)
    .where(
      's.business_id',
      'in',
      approvedPartnersOfTypes(db, productId, types).select('pp.partner_business_id'),
    );
}

export async function countPartnerListings(
  db: Db,
  productId: number,
  types: readonly PartnershipType[],
): Promise<number> {
  if (types.length === 0) return 0;
  const row = await partnerListingsOfTypes(db, productId, types)
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function samplePartnerListings(
  db: Db,
  productId: number,
  types: readonly PartnershipType[],
  limit: number,
) {
  if (types.length === 0) return Promise.resolve([]);
  return partnerListingsOfTypes(db, productId, types)
    .select(['s.id', 's.unique_id', 's.name', 's.business_id'])
    .orderBy('s.id', 'desc')
    .limit(limit)
    .execute();
}

/** Takes the product off the stores of the partners of these types (they are losing access). */
export async function removeListingsOfPartnerTypes(
  db: Db,
  productId: number,
  types: readonly PartnershipType[],
): Promise<void> {
  if (types.length === 0) return;
  await db
    .deleteFrom('store_products')
    .where('product_id', '=', productId)
    .where('store_id', 'in', (eb) =>
      eb
        .selectFrom('stores')
        .select('id')
        .where(
          'business_id',
          'in',
          approvedPartnersOfTypes(db, productId, types).select('pp.partner_business_id'),
        ),
    )
    .execute();
}

/** Takes the product off every store of one (former) partner. */
export async function removePartnerProductListings(
  db: Db,
  productId: number,
  partnerBusinessId: number,
): Promise<void> {
  await db
    .deleteFrom('store_products')
    .where('product_id', '=', productId)
    .where('store_id', 'in', (eb) =>
      eb.selectFrom('stores').select('id').where('business_id', '=', partnerBusinessId),
    )
    .execute();
}

// ---- bundles --------------------------------------------------------------------------------

export function findOwnedBundle(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundles')
    .select(['id', 'is_bundle_sharing'])
    .where('id', '=', bundleId)
    .where('business_id', '=', businessId)
    .executeTakeFirst();
}

function bundlePartnerQuery(db: Db, businessId: number, bundleId: number) {
  return db
    .selectFrom('bundle_partners as bp')
    .innerJoin('businesses as b', 'b.id', 'bp.partner_business_id')
    .select(BUNDLE_PARTNER_COLUMNS)
    .where('bp.business_id', '=', businessId)
    .where('bp.bundle_id', '=', bundleId);
}

/** One page of a bundle's partners, newest first (the `bundle_partners_bundle_id` index). */
export function listBundlePartners(db: Db, businessId: number, bundleId: number, window: KeysetWindow) {
  return applyKeyset(bundlePartnerQuery(db, businessId, bundleId), ['bp.id'], 'desc', window).execute();
}
export type BundlePartnerRow = Awaited<ReturnType<typeof listBundlePartners>>[number];

export function findBundlePartner(db: Db, businessId: number, bundleId: number, id: number) {
  return bundlePartnerQuery(db, businessId, bundleId).where('bp.id', '=', id).executeTakeFirst();
}

export function insertBundlePartner(
  db: Db,
  values: { businessId: number; bundleId: number; partnerBusinessId: number; userId: number | null },
) {
  return db
    .insertInto('bundle_partners')
    .values({
      business_id: values.businessId,
      bundle_id: values.bundleId,
      partner_business_id: values.partnerBusinessId,
      created_by_user_id: values.userId,
    })
    .onConflict((oc) => oc.columns(['bundle_id', 'partner_business_id']).doNothing())
    .returning('id')
    .executeTakeFirst();
}

export function deleteBundlePartner(db: Db, businessId: number, bundleId: number, id: number) {
  return db
    .deleteFrom('bundle_partners')
    .where('id', '=', id)
    .where('business_id', '=', businessId)
    .where('bundle_id', '=', bundleId)
    .returning('partner_business_id')
    .executeTakeFirst();
}

/** Takes the bundle's price options off every store of one (former) partner. */
export async function removePartnerBundleListings(
  db: Db,
  bundleId: number,
  partnerBusinessId: number,
): Promise<void> {
  await db
    .deleteFrom('store_bundle_price_options')
    .where('bundle_price_option_id', 'in', (eb) =>
      eb.selectFrom('bundle_price_options').select('id').where('bundle_id', '=', bundleId),
    )
    .where('store_id', 'in', (eb) =>
      eb.selectFrom('stores').select('id').where('business_id', '=', partnerBusinessId),
    )
    .execute();
}

// ---- what is shared with a business (read by the product and bundle lists) ------------------

/**
 * Ids of other businesses' products this business may sell now: an approved partnership whose
 * program is switched on. A subquery, so a product list can filter `p.id in (...)` and keep its
 * own keyset pagination.
 */
export function sharedProductIdsQuery(db: Db, businessId: number) {
  return db
    .selectFrom('product_partners as pp')
    .innerJoin('products as p', 'p.id', 'pp.product_id')
    .select('pp.product_id')
    .where('pp.partner_business_id', '=', businessId)
    .where('pp.affiliate_status', '=', 'approved')
    .where((eb) =>
      eb.or([
        eb.and([eb('pp.partnership_type', '=', 'reseller'), eb('p.is_product_sharing', '=', true)]),
        eb.and([eb('pp.partnership_type', '=', 'affiliate'), eb('p.is_affiliate_enabled', '=', true)]),
        eb.and([
          eb('pp.partnership_type', '=', 'affiliate_pro'),
          eb('p.is_affiliate_pro_enabled', '=', true),
        ]),
      ]),
    );
}

/**
 * The partnerships a business holds on these (shared) products, newest first: what a product list
 * shows as `product_partners` for products the caller sells for their owner. One query per page.
 */
export function partnershipsOfPartner(db: Db, partnerBusinessId: number, productIds: readonly number[]) {
  if (productIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('product_partners as pp')
    .innerJoin('businesses as b', 'b.id', 'pp.partner_business_id')
    .select([...PRODUCT_PARTNER_COLUMNS, 'pp.product_id'])
    .where('pp.partner_business_id', '=', partnerBusinessId)
    .where('pp.product_id', 'in', productIds)
    .orderBy('pp.id', 'desc')
    .execute();
}

export async function listSharedProductIdsForBusiness(db: Db, businessId: number): Promise<number[]> {
  const rows = await sharedProductIdsQuery(db, businessId).orderBy('pp.product_id').execute();
  return rows.map((row) => row.product_id);
}

/** Ids of other businesses' bundles shared with this business while their owner shares them. */
export function sharedBundleIdsQuery(db: Db, businessId: number) {
  return db
    .selectFrom('bundle_partners as bp')
    .innerJoin('bundles as bu', 'bu.id', 'bp.bundle_id')
    .select('bp.bundle_id')
    .where('bp.partner_business_id', '=', businessId)
    .where('bu.is_bundle_sharing', '=', true);
}

export async function listSharedBundleIdsForBusiness(db: Db, businessId: number): Promise<number[]> {
  const rows = await sharedBundleIdsQuery(db, businessId).orderBy('bp.bundle_id').execute();
  return rows.map((row) => row.bundle_id);
}
