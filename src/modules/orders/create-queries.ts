import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';

export interface OrderRefs {
  storeUniqueId: string;
  warehouseUniqueId: string | null;
  pageUniqueId: string | null;
  channelUniqueId: string | null;
  paymentAccountUniqueId: string | null;
  financialEntityId: number | null;
}

/**
 * The records a business order names by their public ids, each looked up within the business (a
 * channel within the store), in one statement; null where nothing matches.
 */
export async function findOrderRefs(db: Db, businessId: number, refs: OrderRefs) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('stores')
        .select('id')
        .where('business_id', '=', businessId)
        .where('unique_id', '=', refs.storeUniqueId)
        .as('store_id'),
      eb
        .selectFrom('warehouses')
        .select('id')
        .where('business_id', '=', businessId)
        .where('unique_id', '=', refs.warehouseUniqueId ?? '')
        .as('warehouse_id'),
      eb
        .selectFrom('pages')
        .select('id')
        .where('business_id', '=', businessId)
        .where('unique_id', '=', refs.pageUniqueId ?? '')
        .as('page_id'),
      eb
        .selectFrom('store_channels as c')
        .innerJoin('stores as s', 's.id', 'c.store_id')
        .select('c.id')
        .where('c.business_id', '=', businessId)
        .where('s.unique_id', '=', refs.storeUniqueId)
        .where('c.unique_id', '=', refs.channelUniqueId ?? '')
        .as('channel_id'),
      eb
        .selectFrom('payment_accounts as pa')
        .innerJoin('financial_entities as fe', 'fe.id', 'pa.financial_entity_id')
        .select(
          sql<{
            id: number;
            account_number: string;
            account_holder: string;
            financial_entity_id: number;
            bank: string;
          } | null>`json_build_object('id', pa.id, 'account_number', pa.account_number,
            'account_holder', pa.account_holder, 'financial_entity_id', fe.id, 'bank', fe.code)`.as('a'),
        )
        .where('pa.business_id', '=', businessId)
        .where('pa.unique_id', '=', refs.paymentAccountUniqueId ?? '')
        .as('payment_account'),
      eb
        .selectFrom('financial_entities')
        .select('code')
        .where('id', '=', refs.financialEntityId ?? 0)
        .as('financial_entity_code'),
    ])
    .executeTakeFirstOrThrow();
  return row;
}
