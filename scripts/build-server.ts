// Bundles the server into dist/server (ESM, dependencies left in node_modules) so that production
// runs plain `node` with no TypeScript loader: a faster start and less memory. Beside it:
// - the embedded database's worker thread, a second entry point (db/pglite-thread.ts starts
//   `./pglite-worker.js`);
// - the migrations, where db/migrate.ts looks for them;
// - `pglite-template/`, a migrated empty embedded database: a new PGLITE_DATA_DIR starts as a
//   copy of it instead of running initdb and every migration at its first start.
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { createDb } from '../db/create-db';
import { migrate } from '../db/migrate';

const OUT = 'dist/server';

rmSync(OUT, { recursive: true, force: true });
await build({
  entryPoints: { main: 'server/main.ts', 'pglite-worker': 'db/pglite-worker.ts' },
  outdir: OUT,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync('db/migrations', join(OUT, 'migrations'), { recursive: true });

const template = await createDb({ pgliteDataDir: join(OUT, 'pglite-template') });
await migrate(template);
await template.close();
console.log('Server bundled into dist/server.');
