import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { containsPattern } from '../../db/like.ts';

export interface KnowledgeSearch {
  businessId: number;
  storeId: number;
  search: string;
  productId?: number | undefined;
  variantId?: number | undefined;
  limit: number;
}

/**
 * Product- and variant-level knowledge items of products listed in the store whose question or
 * answer contains the search text; question matches rank first.
 */
export function searchStoreKnowledge(db: Db, input: KnowledgeSearch) {
  const pattern = containsPattern(input.search);
  let query = db
    .selectFrom('product_knowledge_items as k')
    .innerJoin('store_products as sp', (join) =>
      join.onRef('sp.product_id', '=', 'k.product_id').on('sp.store_id', '=', input.storeId),
    )
    .innerJoin('products as p', 'p.id', 'k.product_id')
    .leftJoin('variants as v', 'v.id', 'k.variant_id')
    .select([
      'k.id',
      'k.product_id',
      'k.variant_id',
      'k.q',
      'k.a',
      'k.position',
      'k.inserted_at',
      'k.updated_at',
      'p.name as product_name',
      'v.unique_id as variant_unique_id',
    ])
    .where('k.business_id', '=', input.businessId)
    .where((eb) => eb.or([eb('k.q', 'ilike', pattern), eb('k.a', 'ilike', pattern)]));
  if (input.productId !== undefined) query = query.where('k.product_id', '=', input.productId);
  if (input.variantId !== undefined) query = query.where('k.variant_id', '=', input.variantId);
  return query
    .orderBy(sql`case when k.q ilike ${pattern} then 0 else 1 end`)
    .orderBy('k.product_id')
    .orderBy(sql`k.variant_id nulls first`)
    .orderBy('k.position')
    .orderBy('k.id')
    .limit(input.limit)
    .execute();
}
