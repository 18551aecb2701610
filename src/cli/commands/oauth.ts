import { hashPassword } from '../../lib/crypto.ts';
import { loadServerKeys } from '../../lib/secrets.ts';
import { setAppWebhook } from '../../modules/oauth/app-webhooks.ts';
import * as apps from '../../modules/oauth/apps.ts';
import {
  changeInstallation,
  createLaunchToken,
  type InstallationChange,
} from '../../modules/oauth/installations.ts';
import { setUserPassword } from '../../modules/oauth/queries.ts';
import {
  asUsage,
  type Command,
  type OptionSpec,
  report,
  requireOption,
  table,
  UsageError,
} from '../command.ts';
import { businessFrom, businessOption } from '../refs.ts';

const json: OptionSpec = { type: 'boolean', description: 'Print one JSON object instead of text' };
const MIN_PASSWORD = 8;

const list = (value: unknown) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : [];
const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined);

/** The app a command acts on, by its `client_id`. */
export const clientIdOption: OptionSpec = {
  type: 'string',
  valueName: 'id',
  required: true,
  description: 'The app client_id, required',
};

export const oauthCommands: Command[] = [
  {
    name: ['oauth', 'app', 'create'],
    summary: "Register a developer's OAuth app for a business; prints its client secret once.",
    details:
      'Redirect URIs are matched exactly. A --public app has no secret and must use PKCE (which every app must anyway).',
    options: {
      business: businessOption,
      name: {
        type: 'string',
        valueName: 'name',
        required: true,
        description: 'App name shown to merchants, required',
      },
      'redirect-uris': {
        type: 'string',
        valueName: 'a,b',
        required: true,
        description: 'Exact redirect URIs (https, or http on loopback), required',
      },
      scopes: {
        type: 'string',
        valueName: 'a,b',
        required: true,
        description: 'Scopes the app may ask for (see api-key scopes), required',
      },
      'webhook-events': {
        type: 'string',
        valueName: 'a,b',
        description: 'Webhook events the app subscribes to',
      },
      description: { type: 'string', valueName: 'text', description: 'Shown on the authorize page' },
      'homepage-url': { type: 'string', valueName: 'url', description: 'App homepage' },
      'logo-url': { type: 'string', valueName: 'url', description: 'App logo' },
      'manage-url': { type: 'string', valueName: 'url', description: 'Where the dashboard Manage link goes' },
      public: { type: 'boolean', description: 'A public client: no secret (PKCE only)' },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const description = text(values.description);
      const homepageUrl = text(values['homepage-url']);
      const logoUrl = text(values['logo-url']);
      const manageUrl = text(values['manage-url']);
      const app = await asUsage(() =>
        apps.createDeveloperApp(db, {
          ownerBusinessId: business.id,
          name: requireOption(values, 'name'),
          redirectUris: list(values['redirect-uris']),
          scopes: list(values.scopes),
          webhookEvents: list(values['webhook-events']),
          isPublic: Boolean(values.public),
          ...(description ? { description } : {}),
          ...(homepageUrl ? { homepageUrl } : {}),
          ...(logoUrl ? { logoUrl } : {}),
          ...(manageUrl ? { manageUrl } : {}),
        }),
      );
      report(
        ctx,
        Boolean(values.json),
        {
          client_id: app.client_id,
          client_secret: app.client_secret,
          name: app.name,
          redirect_uris: app.redirect_uris,
          scopes: app.scopes,
          token_endpoint_auth_method: app.token_endpoint_auth_method,
        },
        [
          `Created OAuth app ${app.name} for ${business.account_holder}`,
          `client_id      ${app.client_id}`,
          app.client_secret
            ? `client_secret  ${app.client_secret} (shown once)`
            : 'Public client: no secret.',
        ],
      );
    },
  },
  {
    name: ['oauth', 'app', 'list'],
    summary: "List a business's OAuth apps (never their secrets).",
    options: { business: businessOption, json },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const found = await apps.listDeveloperApps(db, business.id);
      const rows = found.map((app) => ({
        client_id: app.client_id,
        name: app.name,
        client_type: app.token_endpoint_auth_method === 'none' ? 'public' : 'confidential',
        is_active: app.is_active,
        redirect_uris: app.redirect_uris,
        scopes: app.scopes,
        webhook_url: app.webhook_url,
        webhook_events: app.webhook_events,
      }));
      report(
        ctx,
        Boolean(values.json),
        { business_unique_id: business.unique_id, apps: rows },
        rows.length === 0
          ? [`${business.account_holder} has no OAuth apps.`]
          : table(
              ['CLIENT_ID', 'TYPE', 'STATUS', 'NAME'],
              rows.map((row) => [
                row.client_id,
                row.client_type,
                row.is_active ? 'active' : 'disabled',
                row.name,
              ]),
            ),
      );
    },
  },
  {
    name: ['oauth', 'app', 'rotate-secret'],
    summary: "Replace an app's client secret; the old one stops working at once.",
    options: {
      business: businessOption,
      'client-id': clientIdOption,
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const rotated = await asUsage(() =>
        apps.rotateClientSecret(db, business.id, requireOption(values, 'client-id')),
      );
      report(ctx, Boolean(values.json), rotated, [
        `New client_secret for ${rotated.client_id} (shown once): ${rotated.client_secret}`,
      ]);
    },
  },
  {
    name: ['oauth', 'app', 'set-webhook'],
    summary:
      'Set where an app receives the webhooks of the businesses it is installed in; prints the signing secret once.',
    details:
      'Installations receive the events the merchant granted that the app still lists, signed with the app secret ' +
      '(X-Scalev-Hmac-Sha256) and marked X-Scalev-App-Id: <client_id>. The secret is minted the first time and ' +
      'with --rotate-secret; otherwise the current one keeps signing.',
    options: {
      business: businessOption,
      'client-id': clientIdOption,
      url: { type: 'string', valueName: 'url', required: true, description: 'The receiver URL, required' },
      events: {
        type: 'string',
        valueName: 'a,b',
        description: 'The events the app subscribes to (default: unchanged)',
      },
      'rotate-secret': {
        type: 'boolean',
        description: 'Mint a new signing secret; the old one stops at once',
      },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const keys = await loadServerKeys(db, ctx.config.secretKey);
      const events = typeof values.events === 'string' ? list(values.events) : undefined;
      const set = await asUsage(() =>
        setAppWebhook(db, keys, ctx.config.webhooks, business.id, requireOption(values, 'client-id'), {
          url: requireOption(values, 'url'),
          events,
          rotateSecret: Boolean(values['rotate-secret']),
        }),
      );
      report(ctx, Boolean(values.json), set, [
        `Webhooks of ${set.client_id} go to ${set.webhook_url} (events: ${set.webhook_events.join(', ') || 'none'})`,
        set.webhook_secret
          ? `Signing secret (shown only now; receivers verify X-Scalev-Hmac-Sha256 with it): ${set.webhook_secret}`
          : 'The signing secret is unchanged.',
      ]);
    },
  },
  {
    name: ['oauth', 'app', 'launch'],
    summary:
      "Mint a one-time Manage launch token for an app installed in a business (the dashboard's Manage link).",
    options: {
      business: businessOption,
      'client-id': clientIdOption,
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const business = await businessFrom(db, values);
      const launch = await asUsage(() =>
        createLaunchToken(db, business.id, requireOption(values, 'client-id')),
      );
      report(ctx, Boolean(values.json), launch, [
        `Launch token (one use, ${launch.expires_in} s): ${launch.launch_token}`,
        ...(launch.manage_url ? [`Manage URL: ${launch.manage_url}`] : []),
      ]);
    },
  },
  ...(['disable', 'enable', 'uninstall'] as InstallationChange[]).map(
    (change): Command => ({
      name: ['oauth', 'installation', change],
      summary: {
        disable: "Disable an app's installation in a business: its tokens stop working at once.",
        enable: 'Enable a disabled installation again.',
        uninstall: 'Uninstall an app from a business: its tokens stop working at once, for good.',
      }[change],
      options: {
        business: businessOption,
        'client-id': clientIdOption,
        json,
      },
      run: async (ctx, values) => {
        const db = (await ctx.database()).db;
        const business = await businessFrom(db, values);
        const state = await asUsage(() =>
          changeInstallation(db, business.id, requireOption(values, 'client-id'), change),
        );
        report(ctx, Boolean(values.json), state, [
          `${state.application.name} in ${business.account_holder}: ${state.is_active ? (state.is_enabled ? 'enabled' : 'disabled') : 'uninstalled'}`,
        ]);
      },
    }),
  ),
  {
    name: ['user', 'set-password'],
    summary: "Set a business user's password (used to sign in on the OAuth authorize page).",
    options: {
      email: { type: 'string', valueName: 'email', required: true, description: 'The user e-mail, required' },
      password: {
        type: 'string',
        valueName: 'password',
        description: 'The new password; read from NEXUS_USER_PASSWORD when omitted',
      },
      json,
    },
    run: async (ctx, values) => {
      const db = (await ctx.database()).db;
      const email = requireOption(values, 'email');
      const password = text(values.password) ?? process.env.NEXUS_USER_PASSWORD ?? '';
      if (password.length < MIN_PASSWORD || password.length > 1024)
        throw new UsageError(
          `the password must be ${MIN_PASSWORD} to 1024 characters (--password or NEXUS_USER_PASSWORD)`,
        );
      const updated = await setUserPassword(db, email, await hashPassword(password));
      if (!updated) throw new UsageError(`no user with e-mail ${email}`);
      report(ctx, Boolean(values.json), { email, password_set: true }, [`Password set for ${email}.`]);
    },
  },
];
