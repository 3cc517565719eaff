import { PGlite } from '@electric-sql/pglite';
import { createDb } from './db/create-db';
import { migrate } from './db/migrate';
let t = performance.now();
const p = await PGlite.create('memory://');
console.log('create', Math.round(performance.now() - t)); t = performance.now();
const d = await createDb({ pgliteDataDir: 'memory://' });
console.log('create2', Math.round(performance.now() - t)); t = performance.now();
await migrate(d);
console.log('migrate', Math.round(performance.now() - t)); t = performance.now();
const dump = await (d as any).db.$client?.dumpDataDir?.('none');
console.log('dump', Math.round(performance.now() - t), dump?.size); t = performance.now();
if (dump) { const q = await PGlite.create({ loadDataDir: dump }); console.log('load', Math.round(performance.now() - t)); }
