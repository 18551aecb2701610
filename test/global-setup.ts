import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../src/db/database.ts';
import { defaultPostalCodesFile, REPO_ROOT } from '../src/lib/paths.ts';
import { importPostalCodes } from '../src/modules/locations/postal-codes.ts';
import { prepareDatabase } from '../src/runtime.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** PostgreSQL runs: the database created for this run. */
    testDatabaseUrl: string | null;
    /** PGlite runs: a dump of the migrated template database every worker loads. */
    pgliteTemplate: string | null;
    /** Distinguishes this run's shared state (Redis keys) from other runs'. */
    runId: string;
    /**
     * Where servers started like `npm start` (test/helpers/server.ts) get a migrated database with
     * reference data and no business: PGlite runs copy this data directory, PostgreSQL runs create
     * a database from this template.
     */
    serverTemplate:
      | { kind: 'pglite'; dataDir: string }
      | { kind: 'postgres'; adminUrl: string; template: string };
  }
}

/**
 * Prepares one migrated database with reference data (regions and the 81k postal codes) once per
 * run. With DATABASE_URL a fresh PostgreSQL database is created beside the configured one and
 * dropped afterwards; otherwise a PGlite template is dumped to a file that workers load.
 */
export default async function setup(project: TestProject) {
  project.provide('runId', `${process.pid}-${Date.now()}`);
  const baseUrl = process.env.DATABASE_URL;
  if (baseUrl) {
    const name = `nexus_test_${process.pid}_${Date.now()}`;
    const template = `${name}_template`;
    const admin = await openDatabase({ databaseUrl: baseUrl, poolSize: 1 });
    await sql`create database ${sql.id(template)}`.execute(admin.db);
    const templateUrl = new URL(baseUrl);
    templateUrl.pathname = `/${template}`;
    const database = await openDatabase({ databaseUrl: templateUrl.toString(), poolSize: 2 });
    await prepareDatabase(database);
    await importPostalCodes(database.db, defaultPostalCodesFile());
    await database.close();
    // The template stays connection-free, so servers' databases can be created from it too.
    await sql`create database ${sql.id(name)} template ${sql.id(template)}`.execute(admin.db);
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    project.provide('testDatabaseUrl', url.toString());
    project.provide('pgliteTemplate', null);
    project.provide('serverTemplate', { kind: 'postgres', adminUrl: baseUrl, template });
    return async () => {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin.db);
      await sql`drop database if exists ${sql.id(template)} with (force)`.execute(admin.db);
      await admin.close();
    };
  }

  const database = await openDatabase({});
  await prepareDatabase(database);
  await importPostalCodes(database.db, defaultPostalCodesFile());
  await sql`checkpoint`.execute(database.db);
  if (!database.dump) throw new Error('expected an embedded database');
  const template = await database.dump();
  await database.close();
  const file = path.join(os.tmpdir(), `nexus-test-template-${process.pid}.tar`);
  fs.writeFileSync(file, Buffer.from(await template.arrayBuffer()));
  // The same database as a data directory, for servers started on a copy of it.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'nexus-test-server-template-'));
  await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    path.join(REPO_ROOT, 'test', 'fixtures', 'template-data-dir.ts'),
    file,
    dataDir,
  ]);
  project.provide('testDatabaseUrl', null);
  project.provide('pgliteTemplate', file);
  project.provide('serverTemplate', { kind: 'pglite', dataDir });
  return () => {
    fs.rmSync(file, { force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
