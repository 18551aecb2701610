import type { RouteSpec } from '../../http/route.ts';
import { routes as createRoutes } from './create-routes.ts';
import { routes as readRoutes } from './read-routes.ts';

/** The Orders tag, one file per group of operations. */
export const routes: RouteSpec[] = [...readRoutes, ...createRoutes];
