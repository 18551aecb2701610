import { listDeveloperApps } from '../../modules/oauth/apps.ts';
import { createBillingTag } from '../../modules/oauth-billing/billing-tags.ts';
import { creditMerchantWallet } from '../../modules/oauth-billing/ledger.ts';
import { setPayoutAccount } from '../../modules/oauth-billing/payout-accounts.ts';
import { asUsage, type Command, type OptionSpec, report, requireOption, UsageError } from '../command.ts';
import { businessFrom, businessOption } from '../refs.ts';
import { clientIdOption } from './oauth.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };

function wholeAmount(values: Record<string, unknown>, name: string): number {
  const raw = requireOption(values, name);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw)) || Number(raw) < 1)
    throw new UsageError(`--${name} must be a whole IDR amount of at least 1`);
  return Number(raw);
}

export const billingCommands: Command[] = [
  {
    name: ['billing', 'credit'],
    summary: "Top up a merchant's OAuth billing wallet from the platform funding account.",
    details:
      'Installed apps reserve against this balance; a reservation it cannot cover is refused with 402.',
    options: {
      business: businessOption,
      amount: { type: 'string', valueName: 'idr', required: true, description: 'Whole IDR, required' },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const amount = wholeAmount(values, 'amount');
      const { balance } = await creditMerchantWallet(db, business.id, amount);
      report(ctx, Boolean(values.json), { business_unique_id: business.unique_id, amount, balance }, [
        `Credited IDR ${amount} to ${business.account_holder}; wallet balance IDR ${balance}`,
      ]);
    },
  },
  {
    name: ['billing', 'payout-account', 'set'],
    summary: "Set where a developer business's OAuth billing withdrawals are paid.",
    options: {
      business: businessOption,
      'channel-code': { type: 'string', valueName: 'code', required: true, description: 'e.g. ID_BCA' },
      'account-number': {
        type: 'string',
        valueName: 'digits',
        required: true,
        description: 'Account number',
      },
      'account-holder': {
        type: 'string',
        valueName: 'name',
        required: true,
        description: 'Account holder name',
      },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      await asUsage(() =>
        setPayoutAccount(db, business.id, {
          channelCode: requireOption(values, 'channel-code'),
          accountNumber: requireOption(values, 'account-number'),
          accountHolderName: requireOption(values, 'account-holder'),
        }),
      );
      report(ctx, Boolean(values.json), { business_unique_id: business.unique_id }, [
        `Payout account set for ${business.account_holder}`,
      ]);
    },
  },
  {
    name: ['oauth', 'billing-tag', 'create'],
    summary: "Price one billable action of a developer's OAuth app.",
    details: 'Merchants approve the tags on the authorize page; an installation keeps the price it approved.',
    options: {
      business: businessOption,
      'client-id': clientIdOption,
      code: { type: 'string', valueName: 'tag', required: true, description: 'Tag code, e.g. order_sync' },
      label: { type: 'string', valueName: 'text', required: true, description: 'Shown to merchants' },
      price: { type: 'string', valueName: 'idr', required: true, description: 'Whole IDR per call' },
      action: {
        type: 'string',
        valueName: 'key',
        required: true,
        description: 'An action key of the catalog',
      },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const clientId = requireOption(values, 'client-id');
      const app = (await listDeveloperApps(db, business.id)).find((a) => a.client_id === clientId);
      if (!app) throw new UsageError(`${business.account_holder} has no OAuth app ${clientId}`);
      const tag = await asUsage(() =>
        createBillingTag(db, {
          applicationId: app.id,
          tagCode: requireOption(values, 'code'),
          label: requireOption(values, 'label'),
          price: wholeAmount(values, 'price'),
          actionKey: requireOption(values, 'action'),
        }),
      );
      report(
        ctx,
        Boolean(values.json),
        { billing_tag_id: tag.id, tag_code: tag.tag_code, price: tag.price, action_key: tag.action_key },
        [`Billing tag ${tag.tag_code} (IDR ${tag.price}, ${tag.action_key}) added to ${app.name}`],
      );
    },
  },
];
