import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/lib/crypto.ts';
import { randomString } from '../../src/lib/ids.ts';
import { seedDemo } from '../../src/seed/demo.ts';
import { getTestContext } from '../helpers/app.ts';

function identity() {
  const suffix = randomString(8).toLowerCase();
  return {
    username: `demo${suffix}`,
    accountHolder: `Toko Demo ${suffix}`,
    ownerEmail: `demo-${suffix}@nexus.test`,
  };
}

describe('the demo seed', () => {
  it('gives every installation its own owner password, shown once', async () => {
    const ctx = await getTestContext();
    const first = identity();
    const created = await seedDemo(ctx.database.db, ctx.config, ctx.keys, first);
    const other = await seedDemo(ctx.database.db, ctx.config, ctx.keys, identity());
    expect(created.owner_password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(other.owner_password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(other.owner_password).not.toBe(created.owner_password);
    expect(created.owner_password).not.toBe('nexus-demo-password');

    const stored = await ctx.database.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', first.ownerEmail)
      .executeTakeFirstOrThrow();
    expect(await verifyPassword(created.owner_password!, stored.password_hash)).toBe(true);

    // Stored as a hash, it cannot be shown again: a second run mints a key but no password.
    const again = await seedDemo(ctx.database.db, ctx.config, ctx.keys, first);
    expect(again).toMatchObject({ created: false, owner_password: null });
  });
});
