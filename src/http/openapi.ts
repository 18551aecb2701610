import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import swagger from '@fastify/swagger';
import scalar from '@scalar/fastify-api-reference';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { finishDocument } from '../docs/document.ts';

/**
 * The OpenAPI 3.1 document is generated from the registered route schemas, so it lists exactly
 * the operations this server implements, with the contract's operationIds, tags and security.
 */
export async function registerOpenApi(app: FastifyInstance, serverUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Nexus Commerce API',
        version: '3.0.0',
        // The getting-started guide (src/docs/guide.ts) is added with the examples.
      },
      servers: [{ url: serverUrl }],
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer' },
          apiKeyAuth: {
            type: 'apiKey',
            in: 'header',
            name: 'Authorization',
            description:
              'Send `Authorization: Bearer <api_key>` for machine-authenticated business requests.',
          },
          scalevOAuth: {
            type: 'http',
            scheme: 'bearer',
            description: 'OAuth access token; `b_uid` selects the business.',
          },
          storefrontKey: { type: 'apiKey', in: 'header', name: 'X-Scalev-Storefront-Api-Key' },
          pageKey: { type: 'apiKey', in: 'header', name: 'X-Scalev-Page-Api-Key' },
          guestToken: { type: 'apiKey', in: 'header', name: 'X-Scalev-Guest-Token' },
        },
      },
    },
    // Runs once: @fastify/swagger caches the finished document. It works on a JSON copy, so nothing
    // there can touch the schema objects the routes validate and serialize with.
    transformObject: (generated) =>
      finishDocument('openapiObject' in generated ? generated.openapiObject : {}),
  });
  app.get('/v3/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );
  await app.register(async (scope) => registerReference(scope, serverUrl));
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/docs/', 302));
}

/**
 * Everything the reference page loads comes from this server: Scalar's script from the installed
 * package, the document from `/docs/openapi.json`, no web fonts, no telemetry, no AI assistant.
 * The policy holds it to that, so the page works offline and tells no third party who reads it.
 */
function referenceHeaders(reply: FastifyReply, serverUrl: string): void {
  const api = new URL(serverUrl).origin;
  reply
    .header(
      'content-security-policy',
      "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        `img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ${api}; ` +
        "worker-src 'self' blob:; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
    )
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
}

const SCRIPT_PATH = '/docs/js/scalar.js';
const gzip = promisify(gzipCallback);

/** Scalar's bundle gzipped, once per process (every app of it serves the same file). */
let gzipped: { source: string; compressed: Promise<Buffer> } | undefined;

/**
 * Scalar's bundle is 3.5 MB of JavaScript: sent gzipped (about 1 MB) to every reader over a real
 * network, compressed off the event loop the first time it is asked for, and cached by browsers
 * for a day (it changes only when the package is upgraded).
 */
async function compressScript(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (request.url !== SCRIPT_PATH || typeof payload !== 'string') return payload;
  reply.header('cache-control', 'public, max-age=86400').header('vary', 'Accept-Encoding');
  if (!/\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) return payload;
  if (gzipped?.source !== payload) gzipped = { source: payload, compressed: gzip(payload) };
  const compressed = await gzipped.compressed;
  reply.header('content-encoding', 'gzip').header('content-length', compressed.length);
  return compressed;
}

async function registerReference(scope: FastifyInstance, serverUrl: string): Promise<void> {
  scope.addHook('onRequest', async (_request, reply) => referenceHeaders(reply, serverUrl));
  scope.addHook('onSend', compressScript);
  await scope.register(scalar, {
    routePrefix: '/docs',
    logLevel: 'warn',
    configuration: {
      pageTitle: 'Nexus API reference',
      title: 'Nexus',
      favicon: 'data:,',
      withDefaultFonts: false,
      telemetry: false,
      agent: { disabled: true },
      showDeveloperTools: 'never',
      documentDownloadType: 'json',
      defaultOpenFirstTag: true,
      operationTitleSource: 'summary',
    },
  });
}
