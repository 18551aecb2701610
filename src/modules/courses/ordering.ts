import { errors, type FieldErrors } from '../../http/errors.ts';

interface Child {
  id: number;
  uuid: string;
}

/**
 * The ids of `current` in the order `requested` names them. A reorder must name every current
 * child exactly once, so a client working from a stale list learns so instead of scrambling it.
 */
export function orderFromUuids(
  current: readonly Child[],
  requested: readonly string[],
  field: string,
): number[] {
  const byUuid = new Map(current.map((child) => [child.uuid, child.id]));
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  const unknown: string[] = [];
  const ids: number[] = [];
  for (const raw of requested) {
    const uuid = raw.toLowerCase();
    if (seen.has(uuid)) {
      duplicates.add(uuid);
      continue;
    }
    seen.add(uuid);
    const id = byUuid.get(uuid);
    if (id === undefined) unknown.push(uuid);
    else ids.push(id);
  }
  const missing = current.filter((child) => !seen.has(child.uuid)).map((child) => child.uuid);
  const problems: string[] = [];
  if (duplicates.size) problems.push(`lists these more than once: ${[...duplicates].join(', ')}`);
  if (unknown.length) problems.push(`contains unknown ids: ${unknown.join(', ')}`);
  if (missing.length) problems.push(`is missing: ${missing.join(', ')}`);
  if (problems.length) {
    const fieldErrors: FieldErrors = { [field]: problems };
    throw errors.validation(fieldErrors, `${field} must list every current id exactly once`);
  }
  return ids;
}

/** `ids` with `id` moved to the 1-based `position` (which the caller has checked is in range). */
export function moveTo(ids: readonly number[], id: number, position: number): number[] {
  const rest = ids.filter((other) => other !== id);
  rest.splice(position - 1, 0, id);
  return rest;
}

/** Checks a requested 1-based position against the number of places available. */
export function checkPosition(position: number, places: number): void {
  if (position > places) throw errors.invalidField('sequence_order', `must be at most ${places}`);
}

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** RFC 7396 JSON merge patch: objects merge key by key, null removes a key, anything else replaces. */
export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else if (isObject(value)) out[key] = mergePatch(isObject(out[key]) ? out[key] : {}, value);
    else out[key] = value;
  }
  return out;
}
