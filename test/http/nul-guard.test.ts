import { describe, expect, it } from 'vitest';
import { createTenant } from '../helpers/tenants.ts';

describe('the NUL character in a request', () => {
  const problem = ['must not contain the NUL character (U+0000)'];

  it('is a 422 naming the body field, however deep, and nothing is written', async () => {
    const tenant = await createTenant('Toko NUL');
    const res = await tenant.request('POST', '/v3/customers', {
      body: { name: 'Bu\u0000di', email: 'budi-nul@example.test', tags: ['ok', 'v\u0000ip'] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      error_code: 'validation_failed',
      errors: { name: problem, 'tags.1': problem },
    });
    const list = await tenant.request('GET', '/v3/customers');
    expect(list.json().data).toEqual([]);
  });

  it('is a 422 in a query or path parameter, before the store is looked up', async () => {
    const tenant = await createTenant('Toko NUL query');
    const query = await tenant.request('GET', '/v3/customers', { query: { search: 'a\u0000' } });
    expect(query.statusCode).toBe(422);
    expect(query.json().errors).toEqual({ search: problem });

    const path = await tenant.request('GET', '/v3/stores/%00/customers/me');
    expect(path.statusCode).toBe(422);
    expect(path.json().errors).toEqual({ store_id: problem });
  });
});
