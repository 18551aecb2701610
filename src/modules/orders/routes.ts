import type { RouteSpec } from '../../http/route.ts';
import { routes as readRoutes } from './read-routes.ts';
import { routes as statisticsRoutes } from './statistics-routes.ts';

/** The Orders tag, one file per group of operations. */
export const routes: RouteSpec[] = [...readRoutes, ...statisticsRoutes];
