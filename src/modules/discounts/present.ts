import type { Static } from '@sinclair/typebox';
import type { Db } from '../../db/database.ts';
import * as q from './queries.ts';
import type { DiscountCode } from './schemas.ts';

export type DiscountCodeObject = Static<typeof DiscountCode>;
type PageRow = Awaited<ReturnType<typeof q.pagesOfDiscountCodes>>[number];

function toDiscountCode(row: q.DiscountCodeRow, pages: PageRow[]): DiscountCodeObject {
  return {
    id: row.id,
    business_id: row.business_id,
    is_enabled: row.is_enabled,
    code: row.code,
    applied_to: row.applied_to,
    amount_type: row.amount_type,
    percentage: row.percentage,
    is_max_amount: row.is_max_amount,
    max_amount: row.max_amount,
    amount: row.amount,
    is_usage_limit: row.is_usage_limit,
    usage_limit: row.usage_limit,
    current_usage: row.current_usage,
    is_expiry: row.is_expiry,
    expiry_time: row.expiry_time ? row.expiry_time.toISOString() : null,
    is_limited_to_pages: row.is_limited_to_pages,
    pages: pages.map((page) => ({ id: page.id, unique_id: page.unique_id, name: page.name })),
    is_limited_to_payment_methods: row.is_limited_to_payment_methods,
    payment_methods: row.payment_methods,
    is_minimum_revenue: row.is_minimum_revenue,
    minimum_revenue: row.minimum_revenue,
    inserted_at: row.inserted_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

/** DiscountCode objects for a page of rows: their pages come from one query. */
export async function presentDiscountCodes(
  db: Db,
  businessId: number,
  rows: q.DiscountCodeRow[],
): Promise<DiscountCodeObject[]> {
  const pages = await q.pagesOfDiscountCodes(
    db,
    businessId,
    rows.map((row) => row.id),
  );
  return rows.map((row) =>
    toDiscountCode(
      row,
      pages.filter((page) => page.discount_code_id === row.id),
    ),
  );
}

/**
 * The contract's DiscountCode object for one code of the business, or null. Exported for the
 * storefront discount check, whose answer embeds the same object.
 */
export async function discountCodeObject(
  db: Db,
  businessId: number,
  id: number,
): Promise<DiscountCodeObject | null> {
  const row = await q.findDiscountCode(db, businessId, id);
  if (!row) return null;
  const [object] = await presentDiscountCodes(db, businessId, [row]);
  return object ?? null;
}
