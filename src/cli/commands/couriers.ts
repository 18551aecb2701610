import * as businesses from '../../modules/businesses/service.ts';
import * as couriers from '../../modules/shipping/couriers-admin.ts';
import { type Command, type OptionSpec, report, requireOption, UsageError } from '../command.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };
const store: OptionSpec = { type: 'string', valueName: 'id', description: 'Numeric store id, required' };
const business: OptionSpec = {
  type: 'string',
  valueName: 'unique_id',
  description: 'Business unique_id; when given, the store must belong to it',
};

function storeId(values: Record<string, unknown>): number {
  const text = requireOption(values, 'store');
  if (!/^\d{1,15}$/.test(text)) throw new UsageError(`--store must be a numeric store id, got "${text}"`);
  return Number(text);
}

async function businessId(
  db: Parameters<typeof businesses.findBusinessByUniqueId>[0],
  values: Record<string, unknown>,
): Promise<number | null> {
  if (typeof values.business !== 'string') return null;
  const found = await businesses.findBusinessByUniqueId(db, values.business.trim());
  if (!found) throw new UsageError(`No business with unique_id ${values.business}`);
  return found.id;
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
        storeId: storeId(values),
        businessId: await businessId(db, values),
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
      const result = await couriers.getStoreCouriers(db, storeId(values), await businessId(db, values));
      report(ctx, Boolean(values.json), { ...result }, describe(result));
    },
  },
];
