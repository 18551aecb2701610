import type { Config } from '../config.ts';
import { type DemoCredentials, type DemoSummary, developmentOrigins } from '../seed/demo.ts';

/**
 * What a developer needs on every `npm start`: where the API, its reference and the hosted pages
 * are, the demo store's ids, how to get a key and how to let a front end's origin in. Secrets are
 * shown once, on the start that created them (the business API key and the generated owner
 * password are stored as hashes), and only on a laptop: on PostgreSQL or under `NODE_ENV=production`
 * the banner names no credential at all (`nexus seed demo` or `api-key create` mint one for whoever
 * runs them). `test/helpers/server.ts` reads it: keep its labels (`Business`, `Owner login`,
 * `Business API key`, `Store`, `Storefront key`, `Allowed origin`) in step with `parseBanner`.
 */
export interface BannerInput {
  demo: DemoSummary | null;
  /** The demo this start created, with its one-time secrets. */
  created: DemoCredentials | null;
  /** Where the data is (no credentials), and the socket commands share the embedded database on. */
  database: string;
  socket: string | null;
}

const label = (name: string) => `  ${name.padEnd(18)}`;
const nexusCommand = 'npm run nexus --';

/** Credentials appear only where someone is trying Nexus on their own machine. */
export function showsCredentials(config: Config): boolean {
  return !config.databaseUrl && !config.production;
}

function originLines(config: Config, demo: DemoSummary): string[] {
  const publicOrigin = new URL(config.publicUrl).origin;
  const dev = developmentOrigins(config).filter((origin) => demo.allowed_origins.includes(origin));
  const first = demo.allowed_origins.includes(publicOrigin)
    ? publicOrigin
    : (demo.allowed_origins[0] ?? 'none');
  const others = demo.allowed_origins.filter((origin) => origin !== first && !dev.includes(origin));
  const ports = [...new Set(dev.map((origin) => new URL(origin).port))];
  return [
    `${label('Allowed origin')}${first}`,
    ...(ports.length > 0 ? [`${label('')}also localhost and 127.0.0.1 on ports ${ports.join(', ')}`] : []),
    ...(others.length > 0 ? [`${label('')}also ${others.join(', ')}`] : []),
    `${label('')}add one: ${nexusCommand} store origins add URL --store ${demo.store_unique_id}`,
  ];
}

function demoLines(config: Config, input: BannerInput, demo: DemoSummary): string[] {
  const secrets = showsCredentials(config) ? input.created : null;
  const base = config.publicUrl;
  const lines = [
    `${label('Business')}${demo.business_username} (b_uid ${demo.business_unique_id})`,
    ...(secrets?.owner_password
      ? [`${label('Owner login')}${secrets.owner_email} / ${secrets.owner_password}  (generated, shown once)`]
      : []),
    ...(secrets
      ? [
          `${label('Business API key')}${secrets.api_key}`,
          `${label('')}(shown once; \`${nexusCommand} seed demo\` mints a new one)`,
        ]
      : []),
    `${label('Store')}id ${demo.store_id}, unique_id ${demo.store_unique_id}`,
    ...(showsCredentials(config) && demo.storefront_api_key
      ? [`${label('Storefront key')}${demo.storefront_api_key}`]
      : []),
    ...originLines(config, demo),
    ...(input.created ? [`${label('Discount code')}HEMAT10 (10% off products, at most Rp25.000)`] : []),
    `${label('New API key')}${nexusCommand} api-key create --business ${demo.business_unique_id}`,
    `${label('')}(or \`${nexusCommand} seed demo\`; both work while the server runs)`,
  ];
  if (secrets) {
    lines.push(
      '',
      '  Try:',
      `    curl -s ${base}/v3/me -H 'Authorization: Bearer ${secrets.api_key}'`,
      `    curl -s ${base}/v3/stores/${demo.store_id}/public-api-keys -H 'Authorization: Bearer ${secrets.api_key}'`,
      `    curl -s '${base}/v3/stores/${demo.store_unique_id}/public/locations?search=cempaka%20putih' -H 'X-Scalev-Storefront-Api-Key: ${secrets.storefront_api_key}'`,
      `    curl -s '${base}/v3/stores/${demo.store_unique_id}/public/items?page_size=5' -H 'X-Scalev-Storefront-Api-Key: ${secrets.storefront_api_key}'`,
    );
  }
  return lines;
}

export function bannerText(config: Config, input: BannerInput): string {
  const base = config.publicUrl;
  const demo = input.demo;
  const headline = input.created
    ? 'Nexus is running with a new demo business.'
    : demo
      ? 'Nexus is running with the demo business.'
      : 'Nexus is running.';
  const lines = [
    '',
    `  ${headline}`,
    '',
    `${label('API')}${base}/v3`,
    `${label('API reference')}${base}/docs  (OpenAPI 3.1: ${base}/v3/openapi.json)`,
    `${label('Hosted pages')}${base}/o/<secret_slug>  (an order; /pay and /success beside it)`,
    `${label('')}${base}/s/<store_unique_id>/reset-password?token=…  (a customer's new password)`,
    `${label('Database')}${input.database}`,
    ...(input.socket ? [`${label('')}shared with \`${nexusCommand} …\` commands on ${input.socket}`] : []),
    '',
    ...(demo
      ? demoLines(config, input, demo)
      : [
          `${label('Get started')}${nexusCommand} business create --name NAME --owner-email EMAIL`,
          `${label('')}then ${nexusCommand} api-key create --business B_UID`,
          `${label('')}(or \`${nexusCommand} seed demo\` for a demo business with a catalog)`,
        ]),
    '',
  ];
  return `${lines.join('\n')}\n`;
}

export function printBanner(config: Config, input: BannerInput): void {
  process.stdout.write(bannerText(config, input));
}
