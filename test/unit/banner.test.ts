import { describe, expect, it } from 'vitest';
import { bannerText } from '../../src/cli/banner.ts';
import { loadConfig } from '../../src/config.ts';
import type { DemoCredentials, DemoSummary } from '../../src/seed/demo.ts';

/** The start-up banner (src/cli/banner.ts): printed on every start, secrets only once and only on a laptop. */

const embedded = loadConfig({ NEXUS_PUBLIC_URL: 'http://localhost:3000' });
const postgres = loadConfig({
  NEXUS_PUBLIC_URL: 'https://shop.example.com',
  DATABASE_URL: 'postgres://db/nexus',
});
const production = loadConfig({ NEXUS_PUBLIC_URL: 'https://shop.example.com', NODE_ENV: 'production' });

const DEV = [3000, 4321, 5173, 8080].flatMap((port) => [
  `http://localhost:${port}`,
  `http://127.0.0.1:${port}`,
]);

function summary(origins: string[]): DemoSummary {
  return {
    business_username: 'tokodemo',
    business_unique_id: 'B1UID',
    store_id: 7,
    store_unique_id: 'store_abc',
    storefront_api_key: 'sfpk_publishable',
    allowed_origins: origins,
  };
}

const created: DemoCredentials = {
  business_id: 1,
  business_unique_id: 'B1UID',
  business_username: 'tokodemo',
  owner_email: 'demo@nexus.local',
  owner_password: 'Generated0Password01',
  api_key: 'sk_secretsecretsecretsecret',
  store_id: 7,
  store_unique_id: 'store_abc',
  storefront_api_key: 'sfpk_publishable',
  allowed_origin: 'http://localhost:3000',
  allowed_origins: DEV,
  created: true,
  catalog: null,
};

const where = { database: 'embedded PGlite at /data/pglite', socket: '/data/socket/.s.PGSQL.5432' };

describe('the start-up banner', () => {
  it('shows the secrets on the start that created them, with commands that work as printed', () => {
    const text = bannerText(embedded, { ...where, demo: summary(DEV), created });
    expect(text).toContain(
      '  Owner login       demo@nexus.local / Generated0Password01  (generated, shown once)',
    );
    expect(text).toContain('  Business API key  sk_secretsecretsecretsecret');
    expect(text).toContain('  Storefront key    sfpk_publishable');
    expect(text).toContain(
      "curl -s http://localhost:3000/v3/me -H 'Authorization: Bearer sk_secretsecretsecretsecret'",
    );
    expect(text).toContain('  Allowed origin    http://localhost:3000\n');
    expect(text).toContain('also localhost and 127.0.0.1 on ports 3000, 4321, 5173, 8080');
    expect(text).toContain('add one: npm run nexus -- store origins add URL --store store_abc');
    expect(text).toContain('shared with `npm run nexus -- …` commands on /data/socket/.s.PGSQL.5432');
  });

  it('shows where everything is on a later start, and no secret', () => {
    const text = bannerText(embedded, {
      ...where,
      demo: summary([...DEV, 'https://preview.example.com']),
      created: null,
    });
    expect(text).toContain('  API               http://localhost:3000/v3');
    expect(text).toContain('  API reference     http://localhost:3000/docs');
    expect(text).toContain('  Hosted pages      http://localhost:3000/o/<secret_slug>');
    expect(text).toContain('  Store             id 7, unique_id store_abc');
    expect(text).toContain('  New API key       npm run nexus -- api-key create --business B1UID');
    expect(text).toContain('also https://preview.example.com');
    expect(text).not.toMatch(/Owner login|Business API key|sk_|Generated0Password01|curl/);
  });

  it('names no credential on PostgreSQL or in production, even on the start that created the demo', () => {
    for (const config of [postgres, production]) {
      const text = bannerText(config, {
        database: 'postgres://db/nexus',
        socket: null,
        demo: summary(['https://shop.example.com']),
        created: { ...created, allowed_origin: 'https://shop.example.com', allowed_origins: [] },
      });
      expect(text).toContain('  Business          tokodemo (b_uid B1UID)');
      expect(text).toContain('  Allowed origin    https://shop.example.com');
      expect(text).not.toMatch(/sk_|sfpk_|Owner login|Generated0Password01|localhost and 127\.0\.0\.1/);
    }
  });

  it('says how to begin when there is no business', () => {
    const text = bannerText(production, {
      database: 'postgres://db/nexus',
      socket: null,
      demo: null,
      created: null,
    });
    expect(text).toContain('  Nexus is running.');
    expect(text).toContain(
      '  Get started       npm run nexus -- business create --name NAME --owner-email EMAIL',
    );
  });
});
