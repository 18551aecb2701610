import { Type } from '@sinclair/typebox';
import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';

/**
 * Identity and membership self-service accept API keys and OAuth tokens. The contract lists no
 * scope: reads that reveal only the caller stay open to every credential, while changing the
 * caller's membership needs Nexus's `business_user:update` of restricted keys and OAuth tokens.
 */
const auth = ['apiKey', 'oauth'] as const;

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getAuthenticatedIdentity',
    method: 'GET',
    path: '/v3/me',
    auth: [...auth],
    revealsOnlyCaller: true,
    // Token-level: OAuth answers with every connected business instead of selecting one.
    businessSelection: false,
    schema: { response: { 200: schemas.Identity } },
    handler: async (request) => {
      const { db, credentials } = request.server.deps;
      return service.describeIdentity(db, credentials, request.auth);
    },
  }),
  defineRoute({
    operationId: 'listBusinessUsers',
    method: 'GET',
    path: '/v3/me/business-users',
    auth: [...auth],
    revealsOnlyCaller: true,
    businessSelection: false,
    schema: { querystring: schemas.ListBusinessUsersQuery, response: { 200: schemas.BusinessUserList } },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return service.listMemberships(db, cursors, service.actingUserId(request.auth), request.query);
    },
  }),
  defineRoute({
    operationId: 'getCurrentBusinessUser',
    method: 'GET',
    path: '/v3/business-users/me',
    auth: [...auth],
    revealsOnlyCaller: true,
    schema: { response: { 200: schemas.BusinessUser } },
    handler: async (request) =>
      service.currentMembership(
        request.server.deps.db,
        businessCaller(request).businessId,
        service.actingUserId(request.auth),
      ),
  }),
  defineRoute({
    operationId: 'leaveBusiness',
    method: 'POST',
    path: '/v3/business-users/me/leave',
    auth: [...auth],
    nexusScope: 'business_user:update',
    schema: { body: schemas.LeaveBusinessRequest, response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      const { db, credentials } = request.server.deps;
      const { businessId } = businessCaller(request);
      await service.leaveBusiness(
        db,
        credentials,
        businessId,
        service.actingUserId(request.auth),
        request.body.password,
      );
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'acceptBusinessInvitation',
    method: 'POST',
    path: '/v3/business-users/me/accept-invitation',
    auth: [...auth],
    nexusScope: 'business_user:update',
    schema: { body: Type.Optional(schemas.AcceptInvitationRequest), response: { 200: schemas.BusinessUser } },
    handler: async (request) => {
      const { businessId } = businessCaller(request);
      return service.acceptInvitation(
        request.server.deps.db,
        businessId,
        service.actingUserId(request.auth),
        request.body?.business_phone,
      );
    },
  }),
  defineRoute({
    operationId: 'denyBusinessInvitation',
    method: 'POST',
    path: '/v3/business-users/me/deny-invitation',
    auth: [...auth],
    nexusScope: 'business_user:update',
    schema: { response: { 204: Type.Null() } },
    handler: async (request, reply) => {
      const { db, credentials } = request.server.deps;
      const { businessId } = businessCaller(request);
      await service.denyInvitation(db, credentials, businessId, service.actingUserId(request.auth));
      return sendNoContent(reply);
    },
  }),
];
