import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import type { JsonObject } from '../docs/components.ts';
import { finishDocument } from '../docs/document.ts';
import { registerReferencePage } from '../docs/reference-page.ts';

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
  // The finished document is JSON through and through (finishDocument built it from a JSON copy).
  registerReferencePage(app, serverUrl, () => app.swagger() as unknown as JsonObject);
}
