import type { Db } from '../../db/database.ts';
import { type CursorCodec, cursorScope, type PageParams, paginate } from '../../http/pagination.ts';
import * as q from './queries.ts';
import { type CourseCaller, requireVariant } from './service.ts';

export function toVariantCustomer(row: q.VariantCustomerRow) {
  return {
    id: row.id,
    uuid: row.uuid,
    name: row.name,
    email: row.email,
    phone: row.phone,
    status: row.status,
    confirmed_at: row.confirmed_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
    last_updated_at: row.last_updated_at.toISOString(),
    access: {
      granted_at: row.granted_at.toISOString(),
      expires_at: row.expires_at?.toISOString() ?? null,
      source: row.source,
    },
  };
}

export interface VariantCustomerQuery extends PageParams {
  search?: string;
}

/**
 * Customers whose access to the variant has not expired, newest customer first. Any item type
 * qualifies: digital files, licenses and subscriptions grant access just as courses do.
 */
export async function listVariantCustomers(
  db: Db,
  cursors: CursorCodec,
  caller: CourseCaller,
  variantId: string,
  query: VariantCustomerQuery,
) {
  const variant = await requireVariant(db, caller, variantId);
  const search = query.search?.trim() || null;
  return paginate({
    codec: cursors,
    // `search` is free-form and comes last, so it cannot imitate the other parts.
    scope: cursorScope('listVariantCustomers', { business: caller.businessId, variant: variant.id, search }),
    page: query,
    defaultPageSize: 25,
    fetch: (window) =>
      q.listVariantCustomers(db, { businessId: caller.businessId, variantId: variant.id, search }, window),
    keyOf: (row) => [row.id],
    map: toVariantCustomer,
  });
}
