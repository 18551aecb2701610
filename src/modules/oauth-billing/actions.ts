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

/** Only routes an OAuth token may call can be billed: each template is one of them. */
export const BILLING_ACTIONS: readonly BillingAction[] = [
  {
    action_key: 'store.create',
    label: 'Create a store',
    description: "A store created in the merchant's business by the app.",
    endpoint_templates: ['POST /v3/stores'],
    required_scopes: ['store:create'],
    reservation_required: true,
    capture_rule: 'success_response',
  },
  {
    action_key: 'discount_code.create',
    label: 'Create a discount code',
    description: 'A discount code created by the app.',
    endpoint_templates: ['POST /v3/discount-codes'],
    required_scopes: ['discount_code:create'],
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
