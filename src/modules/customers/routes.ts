import type { RouteSpec } from '../../http/route.ts';

export const routes: RouteSpec[] = [];
