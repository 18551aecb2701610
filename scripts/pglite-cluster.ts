// `npm run db:cluster`: makes src/db/cluster/pglite-<version>.tar.br, the empty cluster a new embedded
// database starts from (src/db/cluster-template.ts says why), by running PGlite's own initdb once.
// Run it after upgrading @electric-sql/pglite; copies for other versions are removed.
import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  CLUSTER_TEMPLATE_DIR,
  clusterTemplateFile,
  compressClusterTemplate,
  installedPGliteVersion,
} from '../src/db/cluster-template.ts';

const version = installedPGliteVersion();
// In memory and without loadDataDir: PGlite runs initdb, as it does for a new data directory.
const pglite = await PGlite.create();
const { rows } = await pglite.query<{ server_version: string }>('show server_version');
await pglite.query('checkpoint');
const tar = new Uint8Array(await (await pglite.dumpDataDir('none')).arrayBuffer());
await pglite.close();
const file = clusterTemplateFile(version);
fs.mkdirSync(CLUSTER_TEMPLATE_DIR, { recursive: true });
fs.writeFileSync(file, compressClusterTemplate(tar));
for (const other of fs.readdirSync(CLUSTER_TEMPLATE_DIR)) {
  if (/^pglite-.+\.tar\.br$/.test(other) && path.join(CLUSTER_TEMPLATE_DIR, other) !== file) {
    fs.rmSync(path.join(CLUSTER_TEMPLATE_DIR, other));
  }
}
console.log(
  `wrote ${path.relative(process.cwd(), file)} (${(fs.statSync(file).size / 1e6).toFixed(2)} MB) for PGlite ${version}, PostgreSQL ${rows[0]?.server_version}`,
);
