import { type ExpressionBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { errors } from '../../http/errors.ts';
import {
  applyKeyset,
  type CursorCodec,
  cursorScope,
  type PageParams,
  paginate,
} from '../../http/pagination.ts';
import { isUuid } from '../../lib/ids.ts';
import { balanceOf } from './ledger.ts';
import type { MovementKind } from './tables.ts';
import { chargeView, reservationView } from './views.ts';

/**
 * The developer's side: everything here is read for the caller's business as the developer (the
 * owner of the apps that billed), never as a merchant, so a business sees only its own apps' money.
 */

interface BillingFilters {
  oauth_application_id?: number;
  oauth_authorized_business_id?: number;
  merchant_business_id?: number;
  billing_tag?: string;
  action_key?: string;
  billing_idempotency_key?: string;
}

/** The filters reservations and charges share (the same columns in both tables), as one condition. */
function sharedFilters(
  eb: ExpressionBuilder<DB, 'oauth_billing_reservations' | 'oauth_billing_charges'>,
  filters: BillingFilters,
) {
  const columns: Array<[string, string | number | undefined]> = [
    ['application_id', filters.oauth_application_id],
    ['installation_id', filters.oauth_authorized_business_id],
    ['merchant_business_id', filters.merchant_business_id],
    ['billing_tag', filters.billing_tag],
    ['action_key', filters.action_key],
    ['billing_idempotency_key', filters.billing_idempotency_key],
  ];
  return eb.and(columns.flatMap(([column, value]) => (value ? [eb(sql.ref(column), '=', value)] : [])));
}

export async function earnings(db: Db, developerBusinessId: number) {
  return {
    balance: await balanceOf(db, 'developer_earnings', developerBusinessId),
    currency: 'IDR' as const,
  };
}

export function listReservations(
  db: Db,
  cursors: CursorCodec,
  developerBusinessId: number,
  query: PageParams & BillingFilters & { billing_status?: string },
) {
  const { page_size, next_cursor, previous_cursor, ...filters } = query;
  return paginate({
    codec: cursors,
    scope: cursorScope('oauth_billing_reservations', { business: developerBusinessId, ...filters }),
    page: { page_size, next_cursor, previous_cursor },
    defaultPageSize: 25,
    fetch: (window) => {
      let q = db
        .selectFrom('oauth_billing_reservations')
        .selectAll()
        .where('developer_business_id', '=', developerBusinessId)
        .where((eb) => sharedFilters(eb, filters));
      if (filters.billing_status) q = q.where('billing_status', '=', filters.billing_status as never);
      return applyKeyset(q, ['created_at', 'id'], 'desc', window).execute();
    },
    keyOf: (row) => [row.created_at.toISOString(), row.id],
    map: reservationView,
  });
}

export async function getReservation(db: Db, developerBusinessId: number, id: string) {
  const row = isUuid(id)
    ? await db
        .selectFrom('oauth_billing_reservations')
        .selectAll()
        .where('developer_business_id', '=', developerBusinessId)
        .where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw errors.notFound('Reservation not found');
  return reservationView(row);
}

export function listCharges(
  db: Db,
  cursors: CursorCodec,
  developerBusinessId: number,
  query: PageParams & BillingFilters & { request_id?: string },
) {
  const { page_size, next_cursor, previous_cursor, ...filters } = query;
  return paginate({
    codec: cursors,
    scope: cursorScope('oauth_billing_charges', { business: developerBusinessId, ...filters }),
    page: { page_size, next_cursor, previous_cursor },
    defaultPageSize: 25,
    fetch: (window) => {
      let q = db
        .selectFrom('oauth_billing_charges')
        .selectAll()
        .where('developer_business_id', '=', developerBusinessId)
        .where((eb) => sharedFilters(eb, filters));
      if (filters.request_id) q = q.where('request_id', '=', filters.request_id);
      return applyKeyset(q, ['captured_at', 'id'], 'desc', window).execute();
    },
    keyOf: (row) => [row.captured_at.toISOString(), row.id],
    map: chargeView,
  });
}

export async function getCharge(db: Db, developerBusinessId: number, id: string) {
  const row = isUuid(id)
    ? await db
        .selectFrom('oauth_billing_charges')
        .selectAll()
        .where('developer_business_id', '=', developerBusinessId)
        .where('id', '=', id.toLowerCase())
        .executeTakeFirst()
    : undefined;
  if (!row) throw errors.notFound('Charge not found');
  return chargeView(row);
}

type EntryType = 'accrual' | 'withdrawal' | 'adjustment';
/** How each movement reads on the developer's earnings ledger. */
const ENTRY_TYPE: Partial<Record<MovementKind, EntryType>> = {
  capture: 'accrual',
  withdrawal: 'withdrawal',
  refund: 'adjustment',
  payout_failed: 'adjustment',
};
const MOVEMENTS_OF: Record<EntryType, MovementKind[]> = {
  accrual: ['capture'],
  withdrawal: ['withdrawal'],
  adjustment: ['refund', 'payout_failed'],
};

export function listLedger(
  db: Db,
  cursors: CursorCodec,
  developerBusinessId: number,
  query: PageParams & { oauth_application_id?: number; entry_type?: EntryType },
) {
  const { page_size, next_cursor, previous_cursor, ...filters } = query;
  return paginate({
    codec: cursors,
    scope: cursorScope('oauth_billing_ledger', { business: developerBusinessId, ...filters }),
    page: { page_size, next_cursor, previous_cursor },
    defaultPageSize: 25,
    fetch: (window) => {
      let q = db
        .selectFrom('billing_ledger_entries as e')
        .innerJoin('billing_accounts as a', 'a.id', 'e.account_id')
        .selectAll('e')
        .where('a.kind', '=', 'developer_earnings')
        .where('a.business_id', '=', developerBusinessId);
      if (filters.oauth_application_id) q = q.where('e.application_id', '=', filters.oauth_application_id);
      if (filters.entry_type) q = q.where('e.movement_kind', 'in', MOVEMENTS_OF[filters.entry_type]);
      return applyKeyset(q, ['e.created_at', 'e.id'], 'desc', window).execute();
    },
    keyOf: (row) => [row.created_at.toISOString(), row.id],
    map: (row) => ({
      id: row.id,
      timestamp: row.created_at.toISOString(),
      entry_type: ENTRY_TYPE[row.movement_kind] ?? 'adjustment',
      amount: row.amount,
      currency: 'IDR' as const,
      balance_before: row.balance_after - row.amount,
      balance_after: row.balance_after,
      movement: row.movement_kind,
      oauth_application_id: row.application_id,
      reservation_id: row.reservation_id,
      charge_id: row.charge_id,
      settlement_id: row.settlement_id,
    }),
  });
}
