import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

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
        description:
          'Nexus implementation of the Nexus Commerce API v3. Business routes take `Authorization: Bearer <sk_ or rk_ key>`; storefront routes take `X-Scalev-Storefront-Api-Key`.',
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
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    uiHooks: {},
  });
  app.get('/v3/openapi.json', { schema: { hide: true }, config: { rateLimit: false } }, async () =>
    app.swagger(),
  );
}
