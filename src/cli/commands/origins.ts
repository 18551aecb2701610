import type { Db } from '../../db/database.ts';
import * as businesses from '../../modules/businesses/service.ts';
import * as setup from '../../modules/storefront-setup/service.ts';
import { type Command, type OptionSpec, report, requireOption, table, UsageError } from '../command.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };
const store: OptionSpec = {
  type: 'string',
  valueName: 'id',
  required: true,
  description: 'Store id or unique_id (store_…), required',
};

async function storeOf(db: Db, values: Record<string, unknown>) {
  const ref = requireOption(values, 'store');
  const found = await businesses.findStoreByRef(db, ref);
  if (!found) throw new UsageError(`No store with id or unique_id ${ref}`);
  return found;
}

/** `nexus store origins …`: the browser origins a store's storefront API answers. */
export const originCommands: Command[] = [
  {
    name: ['store', 'origins', 'add'],
    summary: "Allow a browser origin (e.g. http://localhost:5173) to call a store's storefront API.",
    details:
      'ORIGIN is scheme, host and port only, as a browser sends it; it is stored in that form\n' +
      '(https://Shop.Example.com:443/ becomes https://shop.example.com). A running server sees a new\n' +
      'origin within NEXUS_AUTH_CACHE_SECONDS (5 s). The demo store already allows localhost and\n' +
      '127.0.0.1 on ports 3000, 4321, 5173 and 8080 on the embedded database.',
    positionals: [{ name: 'ORIGIN', description: 'The origin to allow', required: true }],
    options: { store, json },
    run: async (ctx, values, positionals) => {
      const [origin] = positionals;
      if (!origin || positionals.length > 1) throw new UsageError('give one ORIGIN');
      const db = (await ctx.database()).db;
      const target = await storeOf(db, values);
      const caller = { businessId: target.business_id, userId: null };
      const added = await setup.createAllowedOrigin(db, null, caller, target.id, origin);
      report(ctx, Boolean(values.json), { origin: added }, [
        `Store ${target.id} (${target.unique_id}) now allows ${added.origin}`,
      ]);
    },
  },
  {
    name: ['store', 'origins', 'list'],
    summary: "List a store's allowed browser origins, active and revoked.",
    options: { store, json },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const target = await storeOf(db, values);
      const origins = await setup.listAllowedOrigins(
        db,
        { businessId: target.business_id, userId: null },
        target.id,
      );
      report(
        ctx,
        Boolean(values.json),
        { origins },
        origins.length === 0
          ? [`Store ${target.id} (${target.unique_id}) allows no browser origin.`]
          : table(
              ['ORIGIN', 'STATUS'],
              origins.map((origin) => [origin.origin, origin.status]),
            ),
      );
    },
  },
];
