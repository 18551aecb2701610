import type { RouteSpec } from '../http/route.ts';
import { routes as bundles } from './bundles/routes.ts';
import { routes as carts } from './carts/routes.ts';
import { routes as checkout } from './checkout/routes.ts';
import { routes as conversions } from './conversions/routes.ts';
import { routes as courses } from './courses/routes.ts';
import { routes as customerAccount } from './customer-account/routes.ts';
import { routes as customerAuth } from './customer-auth/routes.ts';
import { routes as customerShopping } from './customer-shopping/routes.ts';
import { routes as customers } from './customers/routes.ts';
import { routes as customerUpload } from './customers/upload-routes.ts';
import { routes as discounts } from './discounts/routes.ts';
import { routes as identity } from './identity/routes.ts';
import { routes as locations } from './locations/routes.ts';
import { routes as oauth } from './oauth/routes.ts';
import { routes as oauthBilling } from './oauth-billing/routes.ts';
import { routes as orders } from './orders/routes.ts';
import { routes as partners } from './partners/routes.ts';
import { routes as payments } from './payments/routes.ts';
import { routes as productContent } from './product-content/routes.ts';
import { routes as products } from './products/routes.ts';
import { routes as publicOrders } from './public-orders/routes.ts';
import { routes as shipping } from './shipping/routes.ts';
import { routes as storefront } from './storefront/routes.ts';
import { routes as storefrontSetup } from './storefront-setup/routes.ts';
import { routes as stores } from './stores/routes.ts';

/** Every implemented contract operation, by API area. */
export const ALL_ROUTES: readonly RouteSpec[] = [
  ...identity,
  ...oauth,
  ...oauthBilling,
  ...storefrontSetup,
  ...locations,
  ...stores,
  ...products,
  ...productContent,
  ...courses,
  ...bundles,
  ...partners,
  ...storefront,
  ...carts,
  ...discounts,
  ...shipping,
  ...orders,
  ...conversions,
  ...checkout,
  ...publicOrders,
  ...payments,
  ...customerAuth,
  ...customerAccount,
  ...customerShopping,
  ...customers,
  ...customerUpload,
];
