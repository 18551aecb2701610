import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { OptionalKind, type Static, type TSchema } from '@sinclair/typebox';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  FastifySchema,
  RawServerDefault,
  RouteGenericInterface,
} from 'fastify';
import { CONTRACT_BY_ID, RENAMED_PATHS } from '../../contract/index.ts';
import type { CredentialKind } from './auth/principal.ts';
import { GRANTABLE_SCOPES } from './auth/scopes.ts';
import { ErrorEnvelope } from './schemas.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteSchema extends FastifySchema {
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: Record<number, TSchema>;
}

export type RouteRequest<S extends RouteSchema> = FastifyRequest<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  S,
  TypeBoxTypeProvider
>;

export type RouteReply<S extends RouteSchema> = FastifyReply<
  RouteGenericInterface,
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  unknown,
  S,
  TypeBoxTypeProvider
>;

type SuccessSchema<S extends RouteSchema> = S['response'][200] extends TSchema
  ? S['response'][200]
  : S['response'][201] extends TSchema
    ? S['response'][201]
    : never;

/** What a handler may resolve to: the success body, or nothing after sending a 204 itself. */
export type HandlerResult<S extends RouteSchema> = [SuccessSchema<S>] extends [never]
  ? undefined
  : Static<SuccessSchema<S>>;

/**
 * One contract operation: the declaration the auth hook, the OpenAPI document and the
 * contract-match test all read. `path` is written exactly as the contract writes it.
 */
export interface RouteSpec<S extends RouteSchema = RouteSchema> {
  operationId: string;
  method: HttpMethod;
  path: string;
  auth: CredentialKind[];
  /** The scope the contract lists for the operation, exactly as it lists it. */
  scope?: string;
  /**
   * A scope Nexus requires of restricted keys and OAuth tokens where the contract names none
   * (secret keys carry every scope): one of `NEXUS_SCOPES`, or a contract scope that fits (landing
   * pages will reuse `page:list`). Only on routes whose contract scope is empty.
   */
  nexusScope?: string;
  /**
   * Marks a business route the contract lists without a scope that Nexus leaves open to every
   * business credential, because it only reveals the caller itself (`GET /v3/me`). A business
   * route without a scope must carry `nexusScope` or this.
   */
  revealsOnlyCaller?: true;
  /** `false` on user-level routes: an OAuth token is not narrowed to one connected business. */
  businessSelection?: false;
  /**
   * Also accepts `application/x-www-form-urlencoded` bodies (the OAuth endpoints RFC 6749 defines
   * that way), parsed to the same object a JSON body gives and validated by the same schema.
   */
  formBody?: true;
  /**
   * Paths of the older official edition that the reference renamed to this operation
   * (`contract/renamed-paths.json`), served by this very route: same auth, origin check, CORS,
   * rate limits and handler. Left out of the OpenAPI document, which describes the contract.
   */
  aliases?: readonly string[];
  /**
   * Extra sentence for the OpenAPI description (the contract summary and the scope a restricted
   * key needs are added automatically).
   */
  description?: string;
  schema: S;
  handler: (request: RouteRequest<S>, reply: RouteReply<S>) => Promise<HandlerResult<S>>;
}

/** Identity helper that keeps each route's handler typed by its own schema inside a route table. */
export function defineRoute<S extends RouteSchema>(spec: RouteSpec<S>): RouteSpec {
  return spec as unknown as RouteSpec;
}

export interface RouteContract {
  operationId: string;
  method: HttpMethod;
  path: string;
  auth: CredentialKind[];
  scope: string | undefined;
  /** Not part of the contract: see `RouteSpec.nexusScope`. */
  nexusScope?: string | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    contract?: RouteContract;
  }
}

/** How our credential kinds appear in the contract's security lists (see the architecture doc). */
export const CONTRACT_SECURITY: Record<CredentialKind, string[]> = {
  apiKey: ['bearerAuth', 'apiKeyAuth'],
  oauth: ['scalevOAuth'],
  customer: ['bearerAuth'],
  oauthApp: ['bearerAuth'],
  storefrontKey: ['storefrontKey'],
  pageKey: ['pageKey'],
  guestToken: ['guestToken'],
  public: ['public'],
};

export function contractSecurityOf(kinds: readonly CredentialKind[]): string[] {
  return [...new Set(kinds.flatMap((kind) => CONTRACT_SECURITY[kind]))].sort();
}

/** `/v3/stores/{store_id}` -> `/v3/stores/:store_id` */
export function toFastifyPath(path: string): string {
  return path.replace(/\{([a-z_]+)\}/g, ':$1');
}

const ERROR_STATUSES: Record<CredentialKind, number[]> = {
  apiKey: [401, 403],
  oauth: [400, 401, 403, 404],
  customer: [401],
  oauthApp: [401, 403],
  storefrontKey: [403, 404],
  pageKey: [403, 404],
  guestToken: [400],
  public: [],
};

function openApiSecurity(kinds: readonly CredentialKind[]): Array<Record<string, string[]>> | undefined {
  const schemes = contractSecurityOf(kinds).filter((name) => name !== 'public');
  return schemes.length ? schemes.map((name) => ({ [name]: [] })) : undefined;
}

const acceptsBusinessCredential = (spec: RouteSpec) =>
  spec.auth.includes('apiKey') || spec.auth.includes('oauth');

/**
 * Why a route's scope declaration breaks the least-privilege rule (docs/decisions.md, "Least
 * privilege where the contract names no scope"), or undefined when it keeps it: `nexusScope` only
 * where the contract lists no scope, and every business route without a contract scope decides
 * between `nexusScope` and `revealsOnlyCaller`.
 */
function scopeRuleViolation(spec: RouteSpec, contractScopes: readonly string[]): string | undefined {
  if (spec.nexusScope && contractScopes.length)
    return `nexusScope ${spec.nexusScope} on a route whose contract scope is ${contractScopes.join(',')}`;
  if (spec.nexusScope && !GRANTABLE_SCOPES.has(spec.nexusScope))
    return `nexusScope ${spec.nexusScope} is neither a contract scope nor one of NEXUS_SCOPES`;
  if (spec.revealsOnlyCaller && (contractScopes.length || spec.nexusScope))
    return 'revealsOnlyCaller on a route that has a scope';
  if (spec.revealsOnlyCaller && spec.method !== 'GET')
    return 'revealsOnlyCaller on a route that changes state';
  // The hook checks scopes against the selected business, which user-level routes do not select.
  if (spec.businessSelection === false && (contractScopes.length || spec.nexusScope))
    return 'a scope on a route without business selection would go unchecked for OAuth tokens';
  if (
    acceptsBusinessCredential(spec) &&
    !contractScopes.length &&
    !spec.nexusScope &&
    !spec.revealsOnlyCaller
  ) {
    return 'a business route without a contract scope needs nexusScope or revealsOnlyCaller';
  }
  return undefined;
}

/** The OpenAPI description's sentence on what restricted keys and OAuth tokens need. */
function scopeDescription(spec: RouteSpec): string | undefined {
  if (!acceptsBusinessCredential(spec)) return undefined;
  const need = (scope: string) => `Restricted keys and OAuth tokens need the \`${scope}\` scope`;
  if (spec.scope) return `${need(spec.scope)}.`;
  if (spec.nexusScope) return `${need(spec.nexusScope)} (required by Nexus; the contract names no scope).`;
  return 'Any business API key or OAuth token may call it without a scope: it reveals only the caller.';
}

/** Why a route's aliases are not the older edition's renamed paths of its operation, or undefined. */
function aliasViolation(spec: RouteSpec): string | undefined {
  for (const alias of spec.aliases ?? []) {
    const renamed = RENAMED_PATHS.find((entry) => entry.path === alias && entry.method === spec.method);
    if (renamed?.operationId !== spec.operationId)
      return `alias ${spec.method} ${alias} is not a path the older edition renamed to this operation`;
  }
  return undefined;
}

function aliasDescription(spec: RouteSpec): string | undefined {
  if (!spec.aliases?.length) return undefined;
  const paths = spec.aliases.map((alias) => `\`${alias}\``).join(', ');
  return `Also served at the older edition's ${paths}, the same way.`;
}

/**
 * Form bodies as an object of strings. A parameter sent twice becomes a list, which fails the
 * route's string schema: RFC 6749 §3.1 forbids repeating one.
 */
function parseForm(body: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const seen = out[key];
    out[key] = seen === undefined ? value : [...(Array.isArray(seen) ? seen : [seen]), value];
  }
  return out;
}

export function registerRoutes(app: FastifyInstance, routes: readonly RouteSpec[]): void {
  const formRoutes = routes.filter((spec) => spec.formBody);
  registerRouteSpecs(
    app,
    routes.filter((spec) => !spec.formBody),
  );
  if (formRoutes.length === 0) return;
  // A scope of their own, so every other route keeps answering 415 to form bodies.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string' },
      (_request, body, done) => done(null, parseForm(String(body))),
    );
    registerRouteSpecs(scope, formRoutes);
  });
}

function registerRouteSpecs(app: FastifyInstance, routes: readonly RouteSpec[]): void {
  for (const spec of routes) {
    const contract = CONTRACT_BY_ID.get(spec.operationId);
    if (!contract) throw new Error(`Route ${spec.operationId} is not a contract operation`);
    const violation = scopeRuleViolation(spec, contract.scopes) ?? aliasViolation(spec);
    if (violation) throw new Error(`Route ${spec.operationId}: ${violation}`);
    const description = [spec.description, aliasDescription(spec), scopeDescription(spec)]
      .filter(Boolean)
      .join(' ');
    const errorStatuses = new Set([422, 429, 500, ...spec.auth.flatMap((kind) => ERROR_STATUSES[kind])]);
    const response: Record<number, TSchema> = { ...spec.schema.response };
    for (const status of errorStatuses) response[status] ??= ErrorEnvelope;
    const options = {
      method: spec.method,
      url: toFastifyPath(spec.path),
      schema: {
        ...spec.schema,
        response,
        operationId: spec.operationId,
        tags: [contract.tag],
        summary: contract.summary,
        ...(description ? { description } : {}),
        ...(openApiSecurity(spec.auth) ? { security: openApiSecurity(spec.auth) } : {}),
      },
      config: {
        ...(spec.businessSelection === false ? { businessSelection: false as const } : {}),
        contract: {
          operationId: spec.operationId,
          method: spec.method,
          path: spec.path,
          auth: spec.auth,
          scope: spec.scope,
          nexusScope: spec.nexusScope,
        },
      },
      // Fastify validates an absent body against the body schema; an optional body means `{}`.
      ...(spec.schema.body && OptionalKind in spec.schema.body
        ? {
            preValidation: async (request: FastifyRequest) => {
              request.body ??= {};
            },
          }
        : {}),
      handler: spec.handler as (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
    };
    app.route(options);
    // An alias is the same route under another path: the auth hook, CORS and rate limits read the
    // same contract declaration, so nothing about it can differ but the path.
    for (const alias of spec.aliases ?? []) {
      app.route({
        ...options,
        url: toFastifyPath(alias),
        schema: { ...options.schema, hide: true },
        config: { ...options.config },
      });
    }
  }
}

/** Ends a handler with 204 No Content (DELETE and state-changing routes that return nothing). */
export function sendNoContent(reply: FastifyReply): undefined {
  reply.code(204).send();
  return undefined;
}

/**
 * Ends a handler with a body already serialized by the route's own response schema (the
 * storefront's stored cards): Fastify sends a string with a JSON content type as it is, so the bytes
 * are those the schema wrote, without building and walking the objects again.
 */
export function sendSerialized(reply: FastifyReply, json: string): never {
  reply.type('application/json; charset=utf-8').send(json);
  return reply as never;
}
