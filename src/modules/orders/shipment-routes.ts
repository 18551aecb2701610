import { businessCaller } from '../../http/auth/caller.ts';
import { defineRoute, type RouteSpec } from '../../http/route.ts';
import { ErrorEnvelope } from '../../http/schemas.ts';
import { BusinessOrder } from './business-schemas.ts';
import { business, OrderIdParams } from './route-parts.ts';
import * as service from './shipment.ts';
import {
  EmptyAnswer,
  ShipmentHistoryBody,
  ShipmentPatchBody,
  ShipmentReceiptBody,
} from './shipment-schemas.ts';

export const routes: RouteSpec[] = [
  defineRoute({
    operationId: 'updateOrderShipment',
    method: 'PATCH',
    path: '/v3/orders/{id}/shipment',
    auth: [...business],
    scope: 'order:update',
    description:
      'Sets the raw shipment fields given. `awb_ca_status` sets the order’s airway-bill status and releases a ' +
      'booking held for a check; `is_shipment_completed: true` completes the order (409 unless it may move to ' +
      '`completed`). Answers the order.',
    schema: {
      params: OrderIdParams,
      body: ShipmentPatchBody,
      response: { 200: BusinessOrder, 404: ErrorEnvelope, 409: ErrorEnvelope },
    },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.updateOrderShipment(
        { db, publicUrl: config.publicUrl },
        businessCaller(request),
        request.params.id,
        request.body,
      );
    },
  }),
  defineRoute({
    operationId: 'updateOrderShipmentReceipt',
    method: 'PATCH',
    path: '/v3/orders/{id}/shipment-receipt',
    auth: [...business],
    scope: 'order:update',
    description:
      'Sets the order’s shipment receipt (tracking number). The status does not change. A receipt issued by a ' +
      'courier booking (generate-awb) is 409: cancel the airway bill first. Answers `{}`.',
    schema: {
      params: OrderIdParams,
      body: ShipmentReceiptBody,
      response: { 200: EmptyAnswer, 404: ErrorEnvelope, 409: ErrorEnvelope },
    },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.updateOrderShipmentReceipt(
        { db, publicUrl: config.publicUrl },
        businessCaller(request),
        request.params.id,
        request.body.shipment_receipt,
      );
    },
  }),
  defineRoute({
    operationId: 'createOrderShipmentStatusHistory',
    method: 'POST',
    path: '/v3/orders/{id}/shipment-status-history',
    auth: [...business],
    scope: 'order:update',
    description:
      'Appends an entry to `shipment_status_history`. `shipped`, `completed` and `rts` entries also move the ' +
      'order there when its lifecycle allows (stamped with the entry’s time); other entries, and moves the order ' +
      'cannot make, are recorded only. Answers the order.',
    schema: {
      params: OrderIdParams,
      body: ShipmentHistoryBody,
      response: { 200: BusinessOrder, 404: ErrorEnvelope },
    },
    handler: async (request) => {
      const { db, config } = request.server.deps;
      return service.createOrderShipmentStatusHistory(
        { db, publicUrl: config.publicUrl },
        businessCaller(request),
        request.params.id,
        request.body,
      );
    },
  }),
];
