import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import { toPartnerBusiness } from './partner-business.ts';
import * as q from './queries.ts';
import type { PartnershipType } from './tables.ts';

export interface PartnerCaller {
  businessId: number;
  userId: number | null;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toProductPartner(row: q.ProductPartnerRow) {
  return {
    id: row.id,
    partner: toPartnerBusiness(row),
    partnership_type: row.partnership_type,
    affiliate_status: row.affiliate_status,
    message_to_product_owner: row.message_to_product_owner,
    requested_at: iso(row.requested_at),
    approved_at: iso(row.approved_at),
    rejected_at: iso(row.rejected_at),
    created_at: row.created_at.toISOString(),
    store_id: row.store_id,
    // Custom domains and affiliate pro routing are not served by this server yet.
    custom_domains: [],
    affiliate_pro_domains: [],
    affiliate_pro_links: [],
  };
}

export function toBundlePartner(row: q.BundlePartnerRow) {
  return { id: row.id, partner: toPartnerBusiness(row), created_at: row.created_at.toISOString() };
}

export async function requireProduct(db: Db, caller: PartnerCaller, productId: number) {
  const product = await q.findOwnedProduct(db, caller.businessId, productId);
  if (!product) throw errors.notFound('Product not found');
  return product;
}

async function requireBundle(db: Db, caller: PartnerCaller, bundleId: number) {
  const bundle = await q.findOwnedBundle(db, caller.businessId, bundleId);
  if (!bundle) throw errors.notFound('Bundle not found');
  return bundle;
}

/** The business a partner_unique_id names; never the caller itself, never a deactivated one. */
async function resolvePartner(db: Db, caller: PartnerCaller, partnerUniqueId: string): Promise<number> {
  const business = await q.findBusinessByUniqueId(db, partnerUniqueId.trim().toUpperCase());
  if (!business?.is_active)
    throw errors.invalidField('partner_unique_id', 'does not match any active business');
  if (business.id === caller.businessId)
    throw errors.invalidField('partner_unique_id', 'cannot be your own business');
  return business.id;
}

export async function listProductPartners(
  db: Db,
  cursors: CursorCodec,
  caller: PartnerCaller,
  productId: number,
  page: PageParams,
) {
  await requireProduct(db, caller, productId);
  return paginate({
    codec: cursors,
    scope: cursorScope('listProductPartners', { business: caller.businessId, product: productId }),
    page,
    defaultPageSize: 25,
    fetch: (window) => q.listProductPartners(db, caller.businessId, productId, window),
    keyOf: (row) => [row.id],
    map: toProductPartner,
  });
}

export async function createProductPartner(
  db: Db,
  caller: PartnerCaller,
  productId: number,
  input: { partner_unique_id: string; partnership_type?: PartnershipType },
) {
  await requireProduct(db, caller, productId);
  const partnerBusinessId = await resolvePartner(db, caller, input.partner_unique_id);
  const inserted = await q.insertProductPartner(db, {
    businessId: caller.businessId,
    productId,
    partnerBusinessId,
    partnershipType: input.partnership_type ?? 'reseller',
    userId: caller.userId,
  });
  if (!inserted) throw errors.invalidField('partner_unique_id', 'is already a partner of this product');
  return toProductPartner((await q.findProductPartner(db, caller.businessId, productId, inserted.id))!);
}

/** Removing a partner also takes the product off the partner's stores: they may no longer sell it. */
export async function deleteProductPartner(
  db: Db,
  caller: PartnerCaller,
  productId: number,
  id: number,
): Promise<void> {
  await requireProduct(db, caller, productId);
  await db.transaction().execute(async (trx) => {
    const removed = await q.deleteProductPartner(trx, caller.businessId, productId, id);
    if (!removed) throw errors.notFound('Product partner not found');
    await q.removePartnerProductListings(trx, productId, removed.partner_business_id);
  });
}

export async function listBundlePartners(
  db: Db,
  cursors: CursorCodec,
  caller: PartnerCaller,
  bundleId: number,
  page: PageParams,
) {
  await requireBundle(db, caller, bundleId);
  return paginate({
    codec: cursors,
    scope: cursorScope('listBundlePartners', { business: caller.businessId, bundle: bundleId }),
    page,
    defaultPageSize: 25,
    fetch: (window) => q.listBundlePartners(db, caller.businessId, bundleId, window),
    keyOf: (row) => [row.id],
    map: toBundlePartner,
  });
}

export async function createBundlePartner(
  db: Db,
  caller: PartnerCaller,
  bundleId: number,
  input: { partner_unique_id: string },
) {
  await requireBundle(db, caller, bundleId);
  const partnerBusinessId = await resolvePartner(db, caller, input.partner_unique_id);
  const inserted = await q.insertBundlePartner(db, {
    businessId: caller.businessId,
    bundleId,
    partnerBusinessId,
    userId: caller.userId,
  });
  if (!inserted) throw errors.invalidField('partner_unique_id', 'is already a partner of this bundle');
  return toBundlePartner((await q.findBundlePartner(db, caller.businessId, bundleId, inserted.id))!);
}

/** Removing a partner also takes the bundle's price options off the partner's stores. */
export async function deleteBundlePartner(
  db: Db,
  caller: PartnerCaller,
  bundleId: number,
  id: number,
): Promise<void> {
  await requireBundle(db, caller, bundleId);
  await db.transaction().execute(async (trx) => {
    const removed = await q.deleteBundlePartner(trx, caller.businessId, bundleId, id);
    if (!removed) throw errors.notFound('Bundle partner not found');
    await q.removePartnerBundleListings(trx, bundleId, removed.partner_business_id);
  });
}
