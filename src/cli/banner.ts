import type { Config } from '../config.ts';
import type { DemoCredentials } from '../seed/demo.ts';

/** What a developer needs after the first `npm start`: credentials and three commands that work. */
export function printBanner(config: Config, demo: DemoCredentials): void {
  const base = config.publicUrl;
  const lines = [
    '',
    '  Nexus is running with a demo business.',
    '',
    `  Business          ${demo.business_username} (b_uid ${demo.business_unique_id})`,
    ...(demo.owner_password
      ? [`  Owner login       ${demo.owner_email} / ${demo.owner_password}  (generated, shown once)`]
      : []),
    `  Business API key  ${demo.api_key}`,
    '                    (shown once; `npm run nexus -- seed demo` mints a new one)',
    `  Store             id ${demo.store_id}, unique_id ${demo.store_unique_id}`,
    `  Storefront key    ${demo.storefront_api_key}`,
    `  Allowed origin    ${demo.allowed_origin}`,
    '  Discount code     HEMAT10 (10% off products, at most Rp25.000)',
    '',
    '  Try:',
    `    curl -s ${base}/v3/me -H 'Authorization: Bearer ${demo.api_key}'`,
    `    curl -s ${base}/v3/stores/${demo.store_id}/public-api-keys -H 'Authorization: Bearer ${demo.api_key}'`,
    `    curl -s '${base}/v3/stores/${demo.store_unique_id}/public/locations?search=cempaka%20putih' -H 'X-Scalev-Storefront-Api-Key: ${demo.storefront_api_key}'`,
    `    curl -s '${base}/v3/stores/${demo.store_unique_id}/public/items?page_size=5' -H 'X-Scalev-Storefront-Api-Key: ${demo.storefront_api_key}'`,
    '',
    `  API reference: ${base}/docs`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
