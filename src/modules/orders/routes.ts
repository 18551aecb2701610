import type { RouteSpec } from '../../http/route.ts';
import { routes as awbRoutes } from './awb-routes.ts';
import { routes as paymentRoutes } from './payment-routes.ts';
import { routes as readRoutes } from './read-routes.ts';
import { routes as shipmentRoutes } from './shipment-routes.ts';
import { routes as uploadRoutes } from './upload-routes.ts';

/** The Orders tag, one file per group of operations. */
export const routes: RouteSpec[] = [
  ...readRoutes,
  ...paymentRoutes,
  ...awbRoutes,
  ...shipmentRoutes,
  ...uploadRoutes,
];
