import { beforeAll } from 'vitest';
import { getTestContext } from './helpers/app.ts';

// Boot the worker's app before a file's first test, under the hook timeout, so a slow start on a
// busy machine never counts against the first test's own timeout.
beforeAll(async () => {
  await getTestContext();
});
