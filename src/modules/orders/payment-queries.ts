import type { Db } from '../../db/database.ts';

/**
 * A business's orders by their gateway reference (`orders_pg_reference` index). Should two orders
 * carry one reference, the newest wins.
 */
export async function ordersByPgReferenceIds(
  db: Db,
  businessId: number,
  references: readonly string[],
): Promise<Map<string, { id: string; order_id: string }>> {
  const found = new Map<string, { id: string; order_id: string }>();
  if (references.length === 0) return found;
  const rows = await db
    .selectFrom('orders')
    .select(['id', 'order_id', 'pg_reference_id'])
    .where('business_id', '=', businessId)
    .where('pg_reference_id', 'in', [...references])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    if (row.pg_reference_id !== null) found.set(row.pg_reference_id, { id: row.id, order_id: row.order_id });
  }
  return found;
}
