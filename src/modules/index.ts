import type { RouteSpec } from '../http/route.ts';
import { routes as identity } from './identity/routes.ts';
import { routes as locations } from './locations/routes.ts';
import { routes as storefrontSetup } from './storefront-setup/routes.ts';

/** Every implemented contract operation, by API area. */
export const ALL_ROUTES: readonly RouteSpec[] = [...identity, ...storefrontSetup, ...locations];
