import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec, sendNoContent } from '../../http/route.ts';
import { NoContent } from '../../http/schemas.ts';
import * as schemas from './schemas.ts';
import * as service from './service.ts';
import { listVariantCustomers } from './variant-customers.ts';

// The contract lists these operations for API keys only (bearerAuth, apiKeyAuth), not OAuth tokens.
const business = ['apiKey'] as const;

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'getVariantCourse',
    method: 'GET',
    path: '/v3/variants/{id}/course',
    auth: [...business],
    scope: 'product:read',
    description: 'The course skeleton: settings, sections in order and their contents without text.',
    schema: { params: schemas.VariantIdParams, response: { 200: schemas.VariantCourse } },
    handler: async (request) =>
      service.getVariantCourse(request.server.deps.db, businessCaller(request), request.params.id),
  }),
  defineRoute({
    operationId: 'updateVariantCourse',
    method: 'PATCH',
    path: '/v3/variants/{id}/course',
    auth: [...business],
    scope: 'product:update',
    schema: {
      params: schemas.VariantIdParams,
      body: schemas.UpdateVariantCourseRequest,
      response: { 200: schemas.VariantCourse },
    },
    handler: async (request) =>
      service.updateVariantCourse(
        request.server.deps.db,
        businessCaller(request),
        request.params.id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'createCourseSection',
    method: 'POST',
    path: '/v3/variants/{variant_id}/course-sections',
    auth: [...business],
    scope: 'product:update',
    schema: {
      params: schemas.VariantIdPathParams,
      body: schemas.CreateCourseSectionRequest,
      response: { 200: schemas.CourseSection },
    },
    handler: async (request) =>
      service.createCourseSection(
        request.server.deps.db,
        businessCaller(request),
        request.params.variant_id,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'updateCourseSectionOrders',
    method: 'PATCH',
    path: '/v3/variants/{variant_id}/course-section-orders',
    auth: [...business],
    scope: 'product:update',
    description: 'Answers the course skeleton in its new order.',
    schema: {
      params: schemas.VariantIdPathParams,
      body: schemas.CourseSectionOrderRequest,
      response: { 200: schemas.VariantCourse },
    },
    handler: async (request) =>
      service.updateCourseSectionOrders(
        request.server.deps.db,
        businessCaller(request),
        request.params.variant_id,
        request.body.course_section_uuids,
      ),
  }),
  defineRoute({
    operationId: 'listVariantCustomers',
    method: 'GET',
    path: '/v3/variants/{id}/customers',
    auth: [...business],
    scope: 'product:read',
    description: 'Customers holding an unexpired access to the variant, sorted by customer id descending.',
    schema: {
      params: schemas.VariantIdParams,
      querystring: schemas.ListVariantCustomersQuery,
      response: { 200: schemas.VariantCustomerList },
    },
    handler: async (request) => {
      const { db, cursors } = request.server.deps;
      return listVariantCustomers(db, cursors, businessCaller(request), request.params.id, request.query);
    },
  }),
  defineRoute({
    operationId: 'getCourseSection',
    method: 'GET',
    path: '/v3/course-sections/{uuid}',
    auth: [...business],
    scope: 'product:read',
    schema: { params: schemas.UuidParams, response: { 200: schemas.CourseSection } },
    handler: async (request) =>
      service.getCourseSection(request.server.deps.db, businessCaller(request), request.params.uuid),
  }),
  defineRoute({
    operationId: 'updateCourseSection',
    method: 'PATCH',
    path: '/v3/course-sections/{uuid}',
    auth: [...business],
    scope: 'product:update',
    schema: {
      params: schemas.UuidParams,
      body: schemas.UpdateCourseSectionRequest,
      response: { 200: schemas.CourseSection },
    },
    handler: async (request) =>
      service.updateCourseSection(
        request.server.deps.db,
        businessCaller(request),
        request.params.uuid,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'deleteCourseSection',
    method: 'DELETE',
    path: '/v3/course-sections/{uuid}',
    auth: [...business],
    scope: 'product:update',
    description: 'Deletes the section and its contents; later sections move up.',
    schema: { params: schemas.UuidParams, response: { 204: NoContent } },
    handler: async (request, reply) => {
      await service.deleteCourseSection(request.server.deps.db, businessCaller(request), request.params.uuid);
      return sendNoContent(reply);
    },
  }),
  defineRoute({
    operationId: 'createCourseContent',
    method: 'POST',
    path: '/v3/course-sections/{section_uuid}/course-contents',
    auth: [...business],
    scope: 'product:update',
    schema: {
      params: schemas.SectionUuidParams,
      body: schemas.CreateCourseContentRequest,
      response: { 200: schemas.CourseContent },
    },
    handler: async (request) =>
      service.createCourseContent(
        request.server.deps.db,
        businessCaller(request),
        request.params.section_uuid,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'updateCourseContentOrders',
    method: 'PATCH',
    path: '/v3/course-sections/{section_uuid}/course-content-orders',
    auth: [...business],
    scope: 'product:update',
    description: 'Answers the section with its contents in their new order.',
    schema: {
      params: schemas.SectionUuidParams,
      body: schemas.CourseContentOrderRequest,
      response: { 200: schemas.CourseSection },
    },
    handler: async (request) =>
      service.updateCourseContentOrders(
        request.server.deps.db,
        businessCaller(request),
        request.params.section_uuid,
        request.body.course_content_uuids,
      ),
  }),
  defineRoute({
    operationId: 'getCourseContent',
    method: 'GET',
    path: '/v3/course-contents/{uuid}',
    auth: [...business],
    scope: 'product:read',
    schema: { params: schemas.UuidParams, response: { 200: schemas.CourseContent } },
    handler: async (request) =>
      service.getCourseContent(request.server.deps.db, businessCaller(request), request.params.uuid),
  }),
  defineRoute({
    operationId: 'updateCourseContent',
    method: 'PATCH',
    path: '/v3/course-contents/{uuid}',
    auth: [...business],
    scope: 'product:update',
    schema: {
      params: schemas.UuidParams,
      body: schemas.UpdateCourseContentRequest,
      response: { 200: schemas.CourseContent },
    },
    handler: async (request) =>
      service.updateCourseContent(
        request.server.deps.db,
        businessCaller(request),
        request.params.uuid,
        request.body,
      ),
  }),
  defineRoute({
    operationId: 'deleteCourseContent',
    method: 'DELETE',
    path: '/v3/course-contents/{uuid}',
    auth: [...business],
    scope: 'product:update',
    description: 'Later contents of the section move up.',
    schema: { params: schemas.UuidParams, response: { 204: NoContent } },
    handler: async (request, reply) => {
      await service.deleteCourseContent(request.server.deps.db, businessCaller(request), request.params.uuid);
      return sendNoContent(reply);
    },
  }),
];
