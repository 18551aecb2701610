import type { FastifyInstance } from 'fastify';
import FindMyWay from 'find-my-way';
import { CONTRACT, type ContractOperation } from '../../contract/index.ts';
import { ApiError } from './errors.ts';
import { toFastifyPath } from './route.ts';

export const notImplemented = (operationId: string) =>
  new ApiError(501, 'not_implemented', `${operationId} is not implemented yet`, {}, 'Not implemented');

/**
 * The contract operations no route serves yet. Every one of them answers 501 `not_implemented`
 * naming its operationId, so a client of the whole API learns "not built yet" instead of a 404
 * that reads like a wrong URL; a wrong method on such a path is a 405 like anywhere else.
 *
 * They are indexed once the app is ready, after every real route (including routes a test or a
 * plugin adds late), from what is then missing: a real route always wins. They are answered by
 * the not-found handler rather than registered as routes, so a route added later never collides
 * with one, and they are naturally absent from the OpenAPI document and from `npm run
 * contract:coverage`, which list what is implemented. The 501 comes before authentication and
 * whatever the body holds: nothing can succeed there, so a 401 or 422 would only send the client
 * after a fix that cannot help.
 */
export class UnbuiltOperations {
  // Fastify's own router, configured as Fastify configures it by default (and, like it, without
  // `;` as a path delimiter), so paths match the same way.
  private readonly router = FindMyWay({
    caseSensitive: true,
    ignoreTrailingSlash: false,
    ignoreDuplicateSlashes: false,
    maxParamLength: 100,
  });

  /** Indexes the contract operations `app` has no route for; call when every route is registered. */
  index(app: FastifyInstance): void {
    this.router.reset();
    const unbuilt = CONTRACT.filter(
      (operation) => !app.hasRoute({ method: operation.method, url: toFastifyPath(operation.path) }),
    );
    for (const operation of unbuilt) {
      const url = toFastifyPath(operation.path);
      const methods = operation.method === 'GET' ? ['GET', 'HEAD'] : [operation.method];
      for (const method of methods) this.router.on(method as 'GET', url, () => {}, operation);
    }
  }

  /** The unbuilt operation `method path` names, if any. */
  find(method: string, path: string): ContractOperation | undefined {
    const found = this.router.find(method as 'GET', path);
    return (found?.store as ContractOperation | undefined) ?? undefined;
  }
}

export function registerUnbuiltOperations(app: FastifyInstance, unbuilt: UnbuiltOperations): void {
  app.addHook('onReady', async () => unbuilt.index(app));
}

/**
 * A real route with a path parameter may also match an unbuilt operation's more specific path
 * (`GET /v3/orders/{id}` matches `/v3/orders/statistics`). The contract's own path wins, as it
 * would if both were routes: that request gets the operation's 501, before authentication. Register
 * it before the auth hook.
 */
export function registerShadowedUnbuilt(app: FastifyInstance, unbuilt: UnbuiltOperations): void {
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    if (route === undefined || !route.includes(':')) return;
    const operation = unbuilt.find(request.method, request.url.split('?')[0] ?? request.url);
    if (operation && toFastifyPath(operation.path) !== route) throw notImplemented(operation.operationId);
  });
}
