import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { CONTRACT, CONTRACT_BY_ID } from '../../contract/index.ts';
import { contractSecurityOf, toFastifyPath } from '../../src/http/route.ts';
import { ALL_ROUTES } from '../../src/modules/index.ts';
import { getTestContext } from '../helpers/app.ts';
import { send } from '../helpers/tenants.ts';

describe('contract match', () => {
  it('declares every route exactly as the contract lists it', () => {
    const mismatches: string[] = [];
    for (const route of ALL_ROUTES) {
      const contract = CONTRACT_BY_ID.get(route.operationId);
      if (!contract) {
        mismatches.push(`${route.operationId}: not a contract operation`);
        continue;
      }
      if (route.method !== contract.method)
        mismatches.push(`${route.operationId}: method ${route.method} != ${contract.method}`);
      if (route.path !== contract.path)
        mismatches.push(`${route.operationId}: path ${route.path} != ${contract.path}`);
      const auth = contractSecurityOf(route.auth).join(',');
      const expected = [...contract.auth].sort().join(',');
      if (auth !== expected) mismatches.push(`${route.operationId}: auth ${auth} != ${expected}`);
      const scopes = route.scope ? [route.scope] : [];
      if (scopes.join(',') !== contract.scopes.join(',')) {
        mismatches.push(
          `${route.operationId}: scopes ${scopes.join(',') || '(none)'} != ${contract.scopes.join(',') || '(none)'}`,
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('registers each operation once, on the server', async () => {
    const ids = ALL_ROUTES.map((route) => route.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const { app } = await getTestContext();
    for (const route of ALL_ROUTES) {
      expect(app.hasRoute({ method: route.method, url: toFastifyPath(route.path) }), route.operationId).toBe(
        true,
      );
    }
  });

  it('knows all 341 operations of the reference', () => {
    expect(CONTRACT).toHaveLength(341);
    expect(new Set(CONTRACT.map((op) => op.operationId)).size).toBe(341);
  });
});

describe('OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document listing exactly the implemented operations', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/v3/openapi.json');
    expect(res.statusCode).toBe(200);
    const document = res.json();
    expect(document.openapi).toBe('3.1.0');

    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const listed: string[] = [];
    for (const [path, item] of Object.entries(
      document.paths as Record<string, Record<string, { operationId?: string }>>,
    )) {
      for (const [method, operation] of Object.entries(item)) {
        if (!operation.operationId) continue;
        listed.push(operation.operationId);
        const contract = CONTRACT_BY_ID.get(operation.operationId);
        expect(contract?.path, operation.operationId).toBe(path);
        expect(contract?.method, operation.operationId).toBe(method.toUpperCase());
      }
    }
    expect(listed.sort()).toEqual(ALL_ROUTES.map((route) => route.operationId).sort());
  });

  it('renders the reference at /docs', async () => {
    const ctx = await getTestContext();
    const res = await send(ctx, 'GET', '/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });
});
