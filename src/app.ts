import { randomUUID } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import type { Config } from './config.ts';
import type { Database, Db } from './db/database.ts';
import { Credentials } from './http/auth/credentials.ts';
import { registerAuthHook } from './http/auth/hook.ts';
import { registerBrowserCors, registerCors } from './http/cors.ts';
import { registerErrorHandling } from './http/error-handler.ts';
import { registerHealth } from './http/health.ts';
import { registerJsonBodies } from './http/json-body.ts';
import { lazySchemaCompilers } from './http/lazy-schemas.ts';
import { serializeRequest } from './http/log-url.ts';
import { registerNulGuard } from './http/nul-guard.ts';
import { registerOpenApi } from './http/openapi.ts';
import { CursorCodec } from './http/pagination.ts';
import type { RateLimitStore } from './http/rate-limit.ts';
import { RequestLogController } from './http/request-log.ts';
import { registerRoutes } from './http/route.ts';
import { registerShadowedUnbuilt, registerUnbuiltOperations, UnbuiltOperations } from './http/unbuilt.ts';
import { logDestination } from './lib/logging.ts';
import type { ServerKeys } from './lib/secrets.ts';
import { ALL_ROUTES } from './modules/index.ts';
import { registerAuthorizePage } from './modules/oauth/authorize-page.ts';
import { registerDiscoveryAliases } from './modules/oauth/routes.ts';
import { registerBillingCapture } from './modules/oauth-billing/capture.ts';
import { checkLifecycle } from './modules/orders/lifecycle.ts';
import { OrderViewCache } from './modules/orders/view-cache.ts';
import { registerHostedPages } from './pages/routes.ts';
import { registerPaymentCallbacks } from './providers/payments-callbacks.ts';
import { createPayoutProvider, type PayoutProvider } from './providers/payouts/index.ts';
import { registerStorageRoutes } from './providers/storage/routes.ts';

export interface AppDeps {
  config: Config;
  database: Database;
  keys: ServerKeys;
  rateLimit: RateLimitStore;
  /** Replaces the configured payout provider (tests point one at a local Xendit stub). */
  payouts?: PayoutProvider;
}

/** What route handlers and services reach through `request.server.deps`. */
export interface AppContext {
  config: Config;
  db: Db;
  cursors: CursorCodec;
  credentials: Credentials;
  keys: ServerKeys;
  /** The shared rate-limit counters, for routes with budgets of their own (customer login). */
  rateLimit: RateLimitStore;
  /** Business views of listed orders, serialized, while current (orders/view-cache.ts). */
  orderViews: OrderViewCache;
  /** Pays developers their OAuth billing earnings (`NEXUS_PAYOUTS_DRIVER`). */
  payouts: PayoutProvider;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppContext;
    /** Compiles the route schemas no request has needed yet (they compile on first use). */
    compileAllSchemas(): number;
  }
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Headers and fields that carry credentials never reach the logs. */
const REDACT = [
  'req.headers.authorization',
  'req.headers["x-scalev-storefront-api-key"]',
  'req.headers["x-scalev-page-api-key"]',
  'req.headers["x-scalev-guest-token"]',
  'req.headers.cookie',
];

export interface BuildOptions {
  /** Replaces the server's logger entirely (`false`: no logs). */
  logger?: FastifyServerOptions['logger'];
  /** Keeps the server's logger (level, redaction, serializers) but writes JSON lines here. */
  logStream?: DestinationStream;
  /** Set while the process drains on SIGTERM. */
  isDraining?: () => boolean;
}

export async function buildApp(deps: AppDeps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  // A mistake in the order lifecycle's tables stops the server here, not at some order's move.
  checkLifecycle();
  const stream = options.logStream ?? (await logDestination(config.logFormat));
  const compilers = lazySchemaCompilers();
  const app = Fastify({
    logger: options.logger ?? {
      level: config.logLevel,
      redact: { paths: REDACT, censor: '[redacted]' },
      // Order links, reset links and signed upload URLs carry their secret in the URL.
      serializers: { req: serializeRequest },
      ...(stream ? { stream } : {}),
    },
    genReqId: (req) => {
      const sent = req.headers['x-request-id'];
      return typeof sent === 'string' && REQUEST_ID.test(sent) ? sent : randomUUID();
    },
    // One line per request at info (probes and docs at debug), with the error code and fields.
    logController: new RequestLogController(),
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    return503OnClosing: true,
    schemaController: {
      compilersFactory: {
        buildValidator: compilers.buildValidator,
        buildSerializer: compilers.buildSerializer,
      },
    },
    ajv: {
      // allowUnionTypes: the contract's "integer or string" ids are multi-type schemas, on purpose.
      // verbose: errors carry the failing schema, so a message can list an enum's values or say
      // in words what a pattern expects (http/error-handler.ts).
      customOptions: {
        verbose: true,
        coerceTypes: 'array',
        useDefaults: true,
        removeAdditional: true,
        allErrors: true,
        allowUnionTypes: true,
      },
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const credentials = new Credentials(
    deps.database.db,
    config.authCacheSeconds,
    deps.keys.customerJwt,
    new URL(config.publicUrl).origin,
    (err) => app.log.warn({ err }, 'background credential update failed'),
  );
  app.decorate('compileAllSchemas', compilers.compileAll);
  app.decorate('deps', {
    config,
    db: deps.database.db,
    cursors: new CursorCodec(deps.keys.cursor),
    credentials,
    keys: deps.keys,
    rateLimit: deps.rateLimit,
    orderViews: new OrderViewCache(config.orderViewCacheMb * 1024 * 1024),
    payouts: deps.payouts ?? createPayoutProvider(config.oauthBilling.payouts),
  });

  // Every response, errors included, carries the request id clients quote in support requests.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // While shutting down, answers to in-flight requests close their keep-alive connection, so the
  // server can finish as soon as they are done instead of waiting out idle sockets.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  const unbuilt = new UnbuiltOperations();
  registerErrorHandling(app, unbuilt);
  registerJsonBodies(app);
  // Before every other check, so their errors (and rate limiting's 429) carry the grant too.
  registerBrowserCors(app, credentials);
  registerNulGuard(app);
  registerShadowedUnbuilt(app, unbuilt);
  registerAuthHook(app, { credentials, rateLimit: deps.rateLimit, limits: config.rateLimit });
  registerHealth(app, { ping: deps.database.ping, isDraining: options.isDraining ?? (() => false) });
  await registerOpenApi(app, config.publicUrl);
  registerCors(app, credentials);
  registerStorageRoutes(app);
  registerHostedPages(app);
  registerAuthorizePage(app);
  registerDiscoveryAliases(app);
  registerPaymentCallbacks(app);
  registerBillingCapture(app);
  registerRoutes(app, ALL_ROUTES);
  registerUnbuiltOperations(app, unbuilt);
  return app;
}
