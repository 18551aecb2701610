import type { RouteSpec } from '../../http/route.ts';

/** uploadBusinessCustomers (the streamed CSV import). */
export const routes: RouteSpec[] = [];
