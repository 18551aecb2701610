import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';
import { hasControlCharacters } from '../../lib/text.ts';
import type { StorageProvider } from '../../providers/storage/index.ts';
import { findOrderBySecretSlug, type OrderRecord, toPublicOrder } from '../orders/create.ts';
import { emitOrderEvents } from '../orders/events.ts';
import type { PublicOrder } from '../orders/schemas.ts';
import * as q from './queries.ts';
import type { TransferProofUploadInput, UpdatePublicOrderInput } from './schemas.ts';
import {
  isTransferProofKeyOf,
  newTransferProofKey,
  transferProofFileUrl,
  transferProofKeyFromUrl,
} from './transfer-proof.ts';

export interface PublicOrderContext {
  db: Db;
  storage: StorageProvider;
  /** The server's public base URL (config.publicUrl), without a trailing slash. */
  publicUrl: string;
  /** Signs transfer-proof keys (derived again for that purpose). */
  signingKey: Buffer;
  maxUploadBytes: number;
}

/** A buyer may still report a transfer: not paid yet and not canceled or closed. */
export function isOpenForBuyer(order: { status: string; payment_status: string }): boolean {
  return (
    !(q.CLOSED_PAYMENT_STATUSES as readonly string[]).includes(order.payment_status) &&
    !(q.CLOSED_ORDER_STATUSES as readonly string[]).includes(order.status)
  );
}

async function requireOrder(
  ctx: PublicOrderContext,
  storeId: number,
  secretSlug: string,
): Promise<OrderRecord> {
  const record = await findOrderBySecretSlug(ctx.db, storeId, secretSlug);
  if (!record) throw errors.notFound('Order not found');
  return record;
}

function requireOpen(record: OrderRecord): void {
  const { order } = record;
  if (!isOpenForBuyer(order)) {
    const why = order.status === 'canceled' || order.status === 'closed' ? order.status : 'already paid';
    throw errors.conflict(`This order is ${why} and can no longer be changed`);
  }
}

function present(ctx: Pick<PublicOrderContext, 'publicUrl'>, record: OrderRecord): PublicOrder {
  return toPublicOrder(record, { publicUrl: ctx.publicUrl, storeUniqueId: record.order.store_unique_id });
}

export async function getPublicOrder(
  ctx: PublicOrderContext,
  storeId: number,
  secretSlug: string,
): Promise<PublicOrder> {
  return present(ctx, await requireOrder(ctx, storeId, secretSlug));
}

/** Clock skew we tolerate between the buyer's device and this server for `transfer_time`. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;
const ACCOUNT_NUMBER = /^[0-9][0-9 .-]*$/;

/** `"  "` -> null, so clearing a text field works with either null or an empty string. */
const text = (value: string | null) => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

interface PaymentAccountJson {
  unique_id: string;
  financial_entity_id: number;
}

/**
 * Applies the buyer-safe fields the reference allows. Every sent field is checked before anything
 * is written; a paid, canceled or closed order is 409 whatever the body says.
 */
export async function updatePublicOrder(
  ctx: PublicOrderContext,
  storeId: number,
  secretSlug: string,
  input: UpdatePublicOrderInput,
): Promise<PublicOrder> {
  const record = await requireOrder(ctx, storeId, secretSlug);
  requireOpen(record);
  const { order } = record;
  const changes: q.BuyerOrderChanges = {};
  const problems: Record<string, string[]> = {};
  const fail = (field: string, problem: string) => {
    problems[field] = [problem];
  };

  if (input.transferproof_url !== undefined) {
    const url = text(input.transferproof_url);
    if (url === null) changes.transferproof_url = null;
    else {
      const key = transferProofKeyFromUrl(ctx.publicUrl, order.secret_slug, url);
      if (key === null || !isTransferProofKeyOf(ctx.signingKey, order.id, key)) {
        fail('transferproof_url', 'must be a file_url issued by transfer-proof-upload for this order');
      } else {
        changes.transferproof_url = url;
        // The proof is the buyer saying "I have paid": without a time, now is the best guess.
        if (input.transfer_time === undefined && order.transfer_time === null)
          changes.transfer_time = new Date();
      }
    }
  }

  if (input.transfer_time !== undefined) {
    if (input.transfer_time === null) changes.transfer_time = null;
    else {
      const at = new Date(input.transfer_time);
      if (Number.isNaN(at.getTime())) fail('transfer_time', 'must be a valid date-time');
      else if (at.getTime() > Date.now() + FUTURE_TOLERANCE_MS)
        fail('transfer_time', 'cannot be in the future');
      else changes.transfer_time = at;
    }
  }

  const accounts = order.payment_accounts as PaymentAccountJson[];
  if (input.payment_account !== undefined) {
    const uniqueId = text(input.payment_account);
    if (uniqueId === null) {
      changes.payment_account_id = null;
    } else {
      const account = accounts.some((a) => a.unique_id === uniqueId)
        ? await q.findActivePaymentAccount(ctx.db, order.business_id, uniqueId)
        : undefined;
      if (!account) fail('payment_account', 'must be one of store.payment_accounts');
      else {
        changes.payment_account_id = account.id;
        changes.financial_entity_id = account.financial_entity_id;
      }
    }
  }

  if (input.financial_entity_id !== undefined) {
    const entityId = input.financial_entity_id;
    if (entityId === null) {
      if (changes.payment_account_id === undefined) changes.financial_entity_id = null;
    } else if (!accounts.some((a) => a.financial_entity_id === entityId)) {
      fail('financial_entity_id', 'must be the financial entity of one of store.payment_accounts');
    } else if (changes.financial_entity_id != null && changes.financial_entity_id !== entityId) {
      fail('financial_entity_id', 'does not match the selected payment_account');
    } else {
      changes.financial_entity_id = entityId;
    }
  }

  if (input.payment_account_holder !== undefined) {
    changes.payment_account_holder = text(input.payment_account_holder);
  }
  if (input.payment_account_number !== undefined) {
    const number = text(input.payment_account_number);
    if (number !== null && !ACCOUNT_NUMBER.test(number)) {
      fail('payment_account_number', 'may contain only digits, spaces, dots and dashes');
    } else changes.payment_account_number = number;
  }
  if (input.notes !== undefined) changes.notes = text(input.notes);

  if (Object.keys(problems).length > 0) throw errors.validation(problems);
  if (Object.keys(changes).length > 0) {
    await ctx.db.transaction().execute(async (trx) => {
      const written = await q.updateOpenOrder(trx, order.business_id, order.id, changes);
      if (!written)
        throw errors.conflict('This order was paid or closed meanwhile and can no longer be changed');
      await emitOrderEvents(trx, order.business_id, order.id, ['order.updated'], ctx.publicUrl);
    });
  }
  return present(ctx, await requireOrder(ctx, storeId, secretSlug));
}

/**
 * A signed upload URL for a bank-transfer proof. The limits (type, declared size) are part of the
 * signature and enforced when the bytes are PUT; `file_url` is what the buyer then PATCHes in.
 */
export async function createTransferProofUpload(
  ctx: PublicOrderContext,
  storeId: number,
  secretSlug: string,
  input: TransferProofUploadInput,
): Promise<{ upload_url: string; file_url: string; expires_at: string }> {
  const record = await requireOrder(ctx, storeId, secretSlug);
  requireOpen(record);
  const { order } = record;
  if (order.payment_method !== 'bank_transfer') {
    throw errors.conflict('Transfer proofs are only for bank-transfer orders');
  }
  if (hasControlCharacters(input.filename)) {
    throw errors.invalidField('filename', 'must not contain control characters');
  }
  if (input.content_length > ctx.maxUploadBytes) {
    throw errors.invalidField('content_length', `must be at most ${ctx.maxUploadBytes}`);
  }
  const key = newTransferProofKey(ctx.signingKey, order.id, input.content_type);
  const upload = ctx.storage.createUploadUrl({
    key,
    contentType: input.content_type,
    maxBytes: input.content_length,
  });
  return {
    upload_url: upload.url,
    file_url: transferProofFileUrl(ctx.publicUrl, order.secret_slug, key),
    expires_at: upload.expiresAt.toISOString(),
  };
}

/**
 * The order behind a hosted page link, found by its `secret_slug` alone: those pages carry no
 * storefront key, the 40-character slug is the buyer's capability.
 */
export async function findHostedOrder(
  ctx: Pick<PublicOrderContext, 'db' | 'publicUrl'>,
  secretSlug: string,
): Promise<{ record: OrderRecord; view: PublicOrder } | undefined> {
  if (secretSlug.length === 0 || secretSlug.length > 64) return undefined;
  const located = await q.findOrderStoreBySecretSlug(ctx.db, secretSlug);
  if (!located) return undefined;
  const record = await findOrderBySecretSlug(ctx.db, located.store_id, secretSlug);
  if (!record) return undefined;
  return { record, view: present(ctx, record) };
}
