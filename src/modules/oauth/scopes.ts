import { CONTRACT } from '../../../contract/index.ts';
import { GRANTABLE_SCOPES, NEXUS_SCOPES } from '../../http/auth/scopes.ts';

/**
 * The machine scope catalog as `{scope: description}`. The contract gives scopes no descriptions, so
 * a contract scope is described by the operations it opens (their summaries), which is what a
 * merchant approving it needs to know; Nexus's own scopes carry their own descriptions.
 */
function describe(): Record<string, string> {
  const opens = new Map<string, string[]>();
  for (const operation of CONTRACT) {
    for (const scope of operation.scopes) opens.set(scope, [...(opens.get(scope) ?? []), operation.summary]);
  }
  const nexus: Record<string, string> = NEXUS_SCOPES;
  const catalog: Record<string, string> = {};
  for (const scope of [...GRANTABLE_SCOPES].sort()) {
    catalog[scope] = nexus[scope] ?? (opens.get(scope) ?? []).join('; ');
  }
  return catalog;
}

export const SCOPE_CATALOG: Readonly<Record<string, string>> = describe();

/** Space-separated scope list (RFC 6749 §3.3) to a de-duplicated list; unknown scopes are reported. */
export function parseScope(value: string | undefined): { scopes: string[]; unknown: string[] } {
  const scopes = [...new Set((value ?? '').split(' ').filter(Boolean))];
  return { scopes, unknown: scopes.filter((scope) => !GRANTABLE_SCOPES.has(scope)) };
}
