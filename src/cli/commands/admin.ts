import { KNOWN_SCOPES } from '../../../contract/index.ts';
import type { Db } from '../../db/database.ts';
import { GRANTABLE_SCOPES, NEXUS_SCOPES } from '../../http/auth/scopes.ts';
import { loadServerKeys } from '../../lib/secrets.ts';
import * as businesses from '../../modules/businesses/service.ts';
import { type BundledPostalCodes, importBundledPostalCodes, seedDemo } from '../../seed/demo.ts';
import { type Command, report, requireOption, table, UsageError } from '../command.ts';
import { businessFrom, businessOption } from '../refs.ts';

const json = { type: 'boolean' as const, description: 'Print one JSON object instead of text' };

async function memberUserId(db: Db, businessId: number, email: string): Promise<number> {
  const userId = await businesses.findMemberUserId(db, businessId, email);
  if (userId === undefined) throw new UsageError(`${email} is not a member of this business`);
  return userId;
}

/** `30d`, `12h`, `90m` from now, or an ISO 8601 timestamp. */
export function parseExpiry(value: string, now = Date.now()): Date {
  const relative = value.match(/^(\d+)\s*([dhm])$/i);
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2]!.toLowerCase() as 'd' | 'h' | 'm'];
    return new Date(now + Number(relative[1]) * unit);
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime()))
    throw new UsageError(`--expires must be like 30d, 12h or an ISO date, got "${value}"`);
  return date;
}

function postalCodesLine(result: BundledPostalCodes): string {
  if (result.status === 'imported')
    return `Postal codes: imported ${result.file} (matched ${result.matched}, unmatched ${result.unmatched})`;
  if (result.status === 'no_file') return `Postal codes: ${result.file} not found; none loaded`;
  return 'Postal codes: already loaded';
}

export const adminCommands: Command[] = [
  {
    name: ['migrate'],
    summary: 'Apply pending database migrations and load reference region data.',
    options: {
      'postal-codes': {
        type: 'boolean',
        description: 'Also load the postal codes the repository ships, when none are loaded yet',
      },
      json,
    },
    run: async (ctx, values) => {
      const database = await ctx.database();
      const applied = ctx.appliedMigrations;
      const postalCodes = values['postal-codes'] ? await importBundledPostalCodes(database.db) : undefined;
      report(
        ctx,
        Boolean(values.json),
        { database: database.describe, applied, ...(postalCodes ? { postal_codes: postalCodes } : {}) },
        [
          applied.length ? `Applied: ${applied.join(', ')}` : 'Database schema is up to date.',
          ...(postalCodes ? [postalCodesLine(postalCodes)] : []),
          `Database: ${database.describe}`,
        ],
      );
    },
  },
  {
    name: ['seed', 'demo'],
    summary:
      'Create the demo business, store, storefront key and origin when missing, and mint a business API key.',
    details:
      'Never duplicates demo data. API keys are stored as hashes, so each run prints a newly minted key.',
    options: { json },
    run: async (ctx, values) => {
      const { db } = await ctx.database();
      const demo = await seedDemo(db, ctx.config, await loadServerKeys(db, ctx.config.secretKey));
      report(ctx, Boolean(values.json), { ...demo }, [
        demo.created ? 'Created the demo business.' : 'The demo business already existed.',
        `business_unique_id  ${demo.business_unique_id}`,
        ...(demo.owner_password
          ? [`owner_login         ${demo.owner_email} / ${demo.owner_password} (shown once)`]
          : []),
        `api_key             ${demo.api_key}`,
        `store_id            ${demo.store_id}`,
        `store_unique_id     ${demo.store_unique_id}`,
        `storefront_api_key  ${demo.storefront_api_key}`,
      ]);
    },
  },
  {
    name: ['business', 'create'],
    summary: 'Create a business with its owner (and optionally a first store).',
    options: {
      name: {
        type: 'string',
        valueName: 'account holder',
        required: true,
        description: 'Business (account holder) name, required',
      },
      'owner-email': {
        type: 'string',
        valueName: 'email',
        required: true,
        description: 'Owner e-mail, required',
      },
      'owner-name': {
        type: 'string',
        valueName: 'name',
        description: 'Owner name (default: the e-mail user part)',
      },
      'owner-password': {
        type: 'string',
        valueName: 'password',
        description: 'Owner password (for self-service routes)',
      },
      username: {
        type: 'string',
        valueName: 'username',
        description: 'Business username (default: from the name)',
      },
      store: { type: 'string', valueName: 'name', description: 'Also create a store with this name' },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const ownerEmail = requireOption(values, 'owner-email');
      const created = await businesses.createBusiness(db, {
        accountHolder: requireOption(values, 'name'),
        ...(typeof values.username === 'string' ? { username: values.username } : {}),
        owner: {
          email: ownerEmail,
          name: typeof values['owner-name'] === 'string' ? values['owner-name'] : ownerEmail.split('@')[0]!,
          ...(typeof values['owner-password'] === 'string' ? { password: values['owner-password'] } : {}),
        },
      });
      const store =
        typeof values.store === 'string'
          ? await businesses.createStore(db, created.business.id, { name: values.store })
          : null;
      report(ctx, Boolean(values.json), { business: created.business, owner: created.owner, store }, [
        `Created business ${created.business.account_holder} (unique_id ${created.business.unique_id}, id ${created.business.id})`,
        `Owner ${created.owner.email}`,
        ...(store ? [`Store ${store.name} (id ${store.id}, unique_id ${store.unique_id})`] : []),
      ]);
    },
  },
  {
    name: ['business', 'invite'],
    summary: 'Invite a user to a business (a pending membership they accept or deny through the API).',
    options: {
      business: businessOption,
      email: { type: 'string', valueName: 'email', required: true, description: 'Invitee e-mail, required' },
      name: {
        type: 'string',
        valueName: 'name',
        description: 'Invitee name (default: the e-mail user part)',
      },
      password: {
        type: 'string',
        valueName: 'password',
        description: 'Password for a user created by this invite',
      },
      role: { type: 'string', valueName: 'role', description: 'Role name: Admin or Staff (default Staff)' },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const email = requireOption(values, 'email');
      const invited = await businesses.inviteMember(db, business.id, {
        email,
        name: typeof values.name === 'string' ? values.name : email.split('@')[0]!,
        ...(typeof values.role === 'string' ? { role: values.role } : {}),
        ...(typeof values.password === 'string' ? { password: values.password } : {}),
      });
      report(
        ctx,
        Boolean(values.json),
        {
          business_unique_id: business.unique_id,
          membership_id: invited.membershipId,
          user_id: invited.userId,
        },
        [`Invited ${email} to ${business.account_holder} (membership ${invited.membershipId}, pending)`],
      );
    },
  },
  {
    name: ['store', 'create'],
    summary: 'Create a store for a business.',
    options: {
      business: businessOption,
      name: { type: 'string', valueName: 'name', required: true, description: 'Store name, required' },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const store = await businesses.createStore(db, business.id, { name: requireOption(values, 'name') });
      report(ctx, Boolean(values.json), { store: { ...store, business_unique_id: business.unique_id } }, [
        `Created store ${store.name} (id ${store.id}, unique_id ${store.unique_id})`,
      ]);
    },
  },
  {
    name: ['api-key', 'create'],
    summary: 'Mint a business API key: secret (sk_, every scope) or restricted (rk_, --scopes).',
    details:
      'The key is printed once and stored only as a SHA-256 hash. A business holds at most 10 live keys.',
    options: {
      business: businessOption,
      name: { type: 'string', valueName: 'name', description: 'A label for the key (default "CLI key")' },
      scopes: {
        type: 'string',
        valueName: 'a,b,c',
        description: 'Make a restricted key with these scopes (see api-key scopes)',
      },
      expires: {
        type: 'string',
        valueName: '30d|ISO date',
        description: 'Expiry, relative (30d, 12h) or absolute',
      },
      user: {
        type: 'string',
        valueName: 'email',
        description: 'Member the key acts for (default: the owner)',
      },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const scopes =
        typeof values.scopes === 'string'
          ? values.scopes
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined;
      const unknown = (scopes ?? []).filter((scope) => !GRANTABLE_SCOPES.has(scope));
      if (unknown.length > 0 || scopes?.length === 0) {
        throw new UsageError(
          `${unknown.length ? `unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}` : '--scopes lists no scope'}; ` +
            `a restricted key may hold (\`nexus api-key scopes\` describes them):\n  ${[...GRANTABLE_SCOPES].sort().join(', ')}`,
        );
      }
      const key = await businesses.createApiKey(db, {
        businessId: business.id,
        name: typeof values.name === 'string' ? values.name : 'CLI key',
        kind: scopes ? 'restricted' : 'secret',
        ...(scopes ? { scopes } : {}),
        ...(typeof values.expires === 'string' ? { expiresAt: parseExpiry(values.expires) } : {}),
        ...(typeof values.user === 'string'
          ? { userId: await memberUserId(db, business.id, values.user) }
          : {}),
      });
      report(
        ctx,
        Boolean(values.json),
        {
          id: key.id,
          business_unique_id: business.unique_id,
          name: key.name,
          type: key.kind,
          scopes: key.scopes,
          expires_at: key.expires_at?.toISOString() ?? null,
          api_key: key.token,
        },
        [
          `Created ${key.kind} key ${key.id} for ${business.account_holder}${key.expires_at ? `, expires ${key.expires_at.toISOString()}` : ''}`,
          ...(key.scopes.length ? [`Scopes: ${key.scopes.join(', ')}`] : []),
          `API key (shown once): ${key.token}`,
        ],
      );
    },
  },
  {
    name: ['api-key', 'scopes'],
    summary: "List the scopes a restricted key may hold: the contract's and those Nexus adds.",
    details:
      'Nexus adds a scope where the contract names none for a business route that changes or reveals more than the caller itself (e.g. discount codes); secret keys hold them all.',
    options: { json },
    run: async (ctx, values) => {
      const contract = [...KNOWN_SCOPES].sort();
      const nexus = Object.entries(NEXUS_SCOPES).map(([scope, description]) => ({ scope, description }));
      report(ctx, Boolean(values.json), { contract, nexus }, [
        'Contract scopes:',
        ...contract.map((scope) => `  ${scope}`),
        'Scopes Nexus adds where the contract names none:',
        ...nexus.map(({ scope, description }) => `  ${scope.padEnd(24)} ${description}`),
      ]);
    },
  },
  {
    name: ['api-key', 'list'],
    summary: "List a business's API keys (never their secrets).",
    options: {
      business: businessOption,
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const keys = await businesses.listApiKeys(db, business.id);
      report(
        ctx,
        Boolean(values.json),
        { business_unique_id: business.unique_id, api_keys: keys },
        keys.length === 0
          ? [`${business.account_holder} has no API keys.`]
          : table(
              ['ID', 'TYPE', 'ENDS', 'STATUS', 'EXPIRES', 'NAME'],
              keys.map((k) => [
                String(k.id),
                k.kind,
                `…${k.token_last4}`,
                k.revoked_at ? 'revoked' : 'active',
                k.expires_at?.toISOString() ?? '-',
                k.name,
              ]),
            ),
      );
    },
  },
  {
    name: ['api-key', 'revoke'],
    summary: 'Revoke a business API key; calls with it get 401 from then on.',
    options: {
      business: businessOption,
      id: {
        type: 'string',
        valueName: 'id',
        required: true,
        description: 'API key id (from api-key list), required',
      },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const id = Number(requireOption(values, 'id'));
      if (!Number.isInteger(id)) throw new UsageError('--id must be a number');
      await businesses.revokeApiKey(db, business.id, id);
      report(ctx, Boolean(values.json), { id, revoked: true }, [`Revoked API key ${id}.`]);
    },
  },
];
