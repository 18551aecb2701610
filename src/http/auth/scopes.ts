import { KNOWN_SCOPES } from '../../../contract/index.ts';

/**
 * Scopes Nexus introduces for business routes the contract lists without one, so that a restricted
 * key or an OAuth token only reaches them when granted (secret keys carry every scope). Named in the
 * contract's `<resource>:<action>` vocabulary; see docs/decisions.md, "Least privilege where the
 * contract names no scope".
 */
export const NEXUS_SCOPES = {
  'discount_code:list': 'List discount codes',
  'discount_code:read': 'Read one discount code',
  'discount_code:create': 'Create discount codes',
  'discount_code:update': 'Change discount codes',
  'discount_code:delete': 'Delete discount codes',
  'business_user:update':
    "Change the acting user's own membership: accept or deny an invitation, leave the business",
} as const;

export type NexusScope = keyof typeof NEXUS_SCOPES;

/** Every scope a restricted key or an OAuth grant may hold: the contract's and Nexus's own. */
export const GRANTABLE_SCOPES: ReadonlySet<string> = new Set([...KNOWN_SCOPES, ...Object.keys(NEXUS_SCOPES)]);
