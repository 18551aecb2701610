import type { RouteSpec } from '../../http/route.ts';
import { routes as awbRoutes } from './awb-routes.ts';
import { routes as bulkRoutes } from './bulk-routes.ts';
import { routes as createRoutes } from './create-routes.ts';
import { routes as engageRoutes } from './engage-routes.ts';
import { routes as labelRoutes } from './labels-routes.ts';
import { routes as paymentRoutes } from './payment-routes.ts';
import { routes as readRoutes } from './read-routes.ts';
import { routes as shipmentRoutes } from './shipment-routes.ts';
import { routes as statisticsRoutes } from './statistics-routes.ts';
import { routes as updateRoutes } from './update-routes.ts';
import { routes as uploadRoutes } from './upload-routes.ts';

/** The Orders tag, one file per group of operations. */
export const routes: RouteSpec[] = [
  ...readRoutes,
  ...createRoutes,
  ...bulkRoutes,
  ...labelRoutes,
  ...engageRoutes,
  ...statisticsRoutes,
  ...paymentRoutes,
  ...awbRoutes,
  ...shipmentRoutes,
  ...uploadRoutes,
  ...updateRoutes,
];
