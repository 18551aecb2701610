import type { Db } from '../../db/database.ts';
import * as couriers from '../../modules/shipping/couriers-admin.ts';
import { type Command, type OptionSpec, report, UsageError } from '../command.ts';
import { businessFrom, storeFrom, storeOption } from '../refs.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };
const business: OptionSpec = {
  type: 'string',
  valueName: 'id|unique_id',
  description: 'Business id or unique_id; when given, the store must belong to it',
};
const store = storeOption;

/** `--store`, checked against `--business` when that is given. */
async function target(db: Db, values: Record<string, unknown>) {
  const owner = typeof values.business === 'string' ? await businessFrom(db, values) : undefined;
  const found = await storeFrom(db, values, owner?.id);
  return { storeId: found.id, businessId: found.business_id };
}

function describe(result: couriers.StoreCouriers): string[] {
  return [
    `Store ${result.store_id} offers ${result.is_configured ? '' : 'every courier (none configured): '}${result.couriers.join(', ')}`,
  ];
}

export const courierCommands: Command[] = [
  {
    name: ['courier', 'list'],
    summary: 'List the couriers and their services (courier_service_id, COD support).',
    options: { json },
    run: async (ctx, values) => {
      const list = await couriers.listCouriers((await ctx.database()).db);
      report(
        ctx,
        Boolean(values.json),
        { couriers: list },
        list.flatMap((courier) => [
          `${courier.code.padEnd(10)} ${courier.name}`,
          ...courier.services.map(
            (s) =>
              `  ${String(s.id).padStart(4)}  ${s.service_code.padEnd(10)} ${s.name}${s.is_cod_supported ? '  (COD)' : ''}`,
          ),
        ]),
      );
    },
  },
  {
    name: ['store', 'couriers', 'set'],
    summary: 'Choose the couriers a store offers at checkout (default: every courier).',
    details: 'Replaces the whole selection. --all removes it, so the store offers every courier again.',
    options: {
      store,
      couriers: {
        type: 'string',
        valueName: 'jne,sicepat',
        description: 'Courier codes (see `nexus courier list`)',
      },
      all: { type: 'boolean', description: 'Offer every courier (clears the selection)' },
      business,
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const hasList = typeof values.couriers === 'string';
      if (hasList === Boolean(values.all)) throw new UsageError('give either --couriers or --all');
      const result = await couriers.setStoreCouriers(db, {
        ...(await target(db, values)),
        couriers: values.all ? 'all' : String(values.couriers).split(','),
      });
      report(ctx, Boolean(values.json), { ...result }, describe(result));
    },
  },
  {
    name: ['store', 'couriers', 'list'],
    summary: 'Show the couriers a store offers.',
    options: { store, business, json },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const { storeId, businessId } = await target(db, values);
      const result = await couriers.getStoreCouriers(db, storeId, businessId);
      report(ctx, Boolean(values.json), { ...result }, describe(result));
    },
  },
];
