/**
 * The platform's catalog of billable actions (`listDeveloperOAuthBillingActions`). A developer's
 * billing tag names one action; a reservation for that tag is captured by the app's next call that
 * matches one of the action's endpoint templates and satisfies its capture rule (see capture.ts).
 * The reference defines the object, not the catalog: these are Nexus's.
 */
export interface BillingAction {
  action_key: string;
  label: string;
  description: string;
  /** `METHOD /path` with the contract's `{param}` placeholders. */
  endpoint_templates: string[];
  required_scopes: string[];
  reservation_required: boolean;
  /** `success_response`: captured when the billed call answers 2xx; otherwise the hold stays. */
  capture_rule: 'success_response';
}

export const BILLING_ACTIONS: readonly BillingAction[] = [
  {
    action_key: 'order.create',
    label: 'Create an order',
    description: "An order created in the merchant's business through the app.",
    endpoint_templates: ['POST /v3/orders'],
    required_scopes: ['order:create'],
    reservation_required: true,
    capture_rule: 'success_response',
  },
  {
    action_key: 'order.upload',
    label: 'Import orders',
    description: 'A bulk order import started by the app.',
    endpoint_templates: ['POST /v3/orders/upload'],
    required_scopes: ['order:create'],
    reservation_required: true,
    capture_rule: 'success_response',
  },
  {
    action_key: 'order.generate_awb',
    label: 'Book shipments',
    description: 'Courier bookings (AWB numbers) generated for orders by the app.',
    endpoint_templates: ['POST /v3/orders/generate-awb'],
    required_scopes: ['order:create_awb'],
    reservation_required: true,
    capture_rule: 'success_response',
  },
  {
    action_key: 'order.statistics',
    label: 'Order statistics report',
    description: "A statistics report over the merchant's orders.",
    endpoint_templates: ['GET /v3/orders/statistics'],
    required_scopes: ['order:statistics:list'],
    reservation_required: true,
    capture_rule: 'success_response',
  },
];

const BY_KEY = new Map(BILLING_ACTIONS.map((action) => [action.action_key, action]));

export function billingAction(actionKey: string): BillingAction | undefined {
  return BY_KEY.get(actionKey);
}

/** Whether a call (its method and the route's contract path) is one the action bills. */
export function matchesAction(action: BillingAction, method: string, contractPath: string): boolean {
  return action.endpoint_templates.includes(`${method.toUpperCase()} ${contractPath}`);
}
