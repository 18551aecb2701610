import operations from './operations.json' with { type: 'json' };
import renamedPaths from './renamed-paths.json' with { type: 'json' };

/** One operation of the Nexus Commerce API v3 contract, as listed in the reference. */
export interface ContractOperation {
  tag: string;
  operationId: string;
  method: string;
  path: string;
  /** Security scheme names exactly as the reference lists them. */
  auth: string[];
  scopes: string[];
  summary: string;
}

export const CONTRACT: readonly ContractOperation[] = operations;

export const CONTRACT_BY_ID: ReadonlyMap<string, ContractOperation> = new Map(
  CONTRACT.map((operation) => [operation.operationId, operation]),
);

/** Every scope any operation requires: the vocabulary restricted keys and OAuth grants draw from. */
export const KNOWN_SCOPES: ReadonlySet<string> = new Set(CONTRACT.flatMap((operation) => operation.scopes));

/**
 * A path of the older official edition (`nexus-openapi-2026-05.yaml`) that the reference renamed,
 * and the current operation it became. Clients written against that edition still call it.
 */
export interface RenamedPath {
  olderOperationId: string;
  method: string;
  path: string;
  /** The current contract operation that serves it. */
  operationId: string;
}

export const RENAMED_PATHS: readonly RenamedPath[] = renamedPaths;
