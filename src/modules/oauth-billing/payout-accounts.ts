import type { Db } from '../../db/database.ts';
import { errors } from '../../http/errors.ts';

export interface PayoutAccount {
  channelCode: string;
  accountNumber: string;
  accountHolderName: string;
}

/** Xendit channel codes look like `ID_BCA`; account numbers are digits (bank) or a phone (e-wallet). */
const CHANNEL_CODE = /^[A-Z]{2}_[A-Z0-9_]{2,40}$/;
const ACCOUNT_NUMBER = /^\+?[0-9]{5,30}$/;

/** Where a developer business's withdrawals are paid (`nexus billing payout-account set`). */
export async function setPayoutAccount(db: Db, businessId: number, account: PayoutAccount) {
  const problems: string[] = [];
  if (!CHANNEL_CODE.test(account.channelCode)) problems.push('channel code must look like ID_BCA');
  if (!ACCOUNT_NUMBER.test(account.accountNumber)) problems.push('account number must be 5-30 digits');
  if (!account.accountHolderName.trim()) problems.push('account holder name is required');
  if (problems.length) throw errors.badRequest(problems.join('; '));
  const values = {
    channel_code: account.channelCode,
    account_number: account.accountNumber,
    account_holder_name: account.accountHolderName.trim(),
  };
  await db
    .insertInto('oauth_billing_payout_accounts')
    .values({ business_id: businessId, ...values })
    .onConflict((oc) => oc.column('business_id').doUpdateSet({ ...values, updated_at: new Date() }))
    .execute();
}

export async function payoutAccountOf(db: Db, businessId: number): Promise<PayoutAccount | undefined> {
  const row = await db
    .selectFrom('oauth_billing_payout_accounts')
    .selectAll()
    .where('business_id', '=', businessId)
    .executeTakeFirst();
  return row
    ? {
        channelCode: row.channel_code,
        accountNumber: row.account_number,
        accountHolderName: row.account_holder_name,
      }
    : undefined;
}
