// `npm run bench:profile`: where the server's CPU goes on billing.createPortalSession. Starts the
// production build (run `npm run build` first) on the Postgres server with `--cpu-prof`, loads it
// with 10 connections for 10 s, stops it, and prints the self time of the hottest functions and
// of each package, from the profile the server wrote. Flags: --pglite (the embedded database),
// --seconds N, --connections N, --keep (leave the .cpuprofile for Chrome DevTools).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoAccount } from '../db/seed';
import { runAutocannon } from './autocannon-run';
import { createBenchDatabase, withDatabase } from './postgres';
import { cleanupAll, makeTempDir, runWithCleanup } from './processes';
import { type DatabaseTarget, signIn, startEmulatorProcess, startOurServer } from './stack';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const at = args.indexOf(name);
  return at === -1 ? fallback : Number(args[at + 1]);
};
const SECONDS = flag('--seconds', 10);
const CONNECTIONS = flag('--connections', 10);
const PGLITE = args.includes('--pglite');
const KEEP = args.includes('--keep');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@trpc/server/dist/…` → `@trpc/server`; our files by path; Node's own as node:. */
function ownerOf(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) {
    const [first, second] = url.slice(modules + 'node_modules/'.length).split('/');
    return first?.startsWith('@') ? `${first}/${second}` : (first ?? url);
  }
  if (url.startsWith('node:')) return 'node (built-in)';
  if (url === '') return '(native, GC, idle)';
  return url.replace(/^file:\/\/.*?\/dist\//, 'dist/');
}

function summarise(profile: CpuProfile) {
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, number>();
  const byOwner = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const us = selfUs.get(node.id) ?? 0;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += us;
      continue;
    }
    const owner = ownerOf(url);
    const name = `${functionName || '(anonymous)'}  ${owner}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
  }
  const busy = total - idle;
  const top = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, us]) => `${((100 * us) / busy).toFixed(1).padStart(5)} %  ${name}`);
  return {
    busyMs: busy / 1000,
    idleMs: idle / 1000,
    functions: top(byFunction, 30),
    owners: top(byOwner, 15),
  };
}

async function main(): Promise<void> {
  const logDir = makeTempDir('bench-profile-logs-');
  // Not a makeTempDir: cleanup would remove it, and --keep leaves it.
  const profileDir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const emulator = await startEmulatorProcess(logDir);
  let target: DatabaseTarget;
  let drop = async () => {};
  if (PGLITE) {
    target = { kind: 'pglite', dataDir: makeTempDir('bench-profile-pglite-') };
    // A first start creates the database; the demo account is added while no server holds it.
    const first = await startOurServer(logDir, emulator, target, 'first');
    await first.child.stop();
    await withDatabase(target.dataDir, (db) => seedDemoAccount(db.db));
  } else {
    const database = await createBenchDatabase('profile');
    await withDatabase(database.url, (db) => seedDemoAccount(db.db));
    target = { kind: 'postgres', url: database.url };
    drop = database.drop;
  }
  try {
    const server = await startOurServer(logDir, emulator, target, 'ours', {
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    });
    const cookie = await signIn(server.url, 'demo@example.com', 'demo-password');
    const load = {
      label: 'ours',
      url: `${server.url}/trpc/billing.createPortalSession`,
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: '{}',
    };
    await runAutocannon(load, CONNECTIONS, 2);
    const figures = await runAutocannon(load, CONNECTIONS, SECONDS);
    await server.child.stop(15_000);
    console.log(
      `${figures.requests} requests in ${SECONDS} s at ${CONNECTIONS} connections (${PGLITE ? 'PGlite' : 'Postgres'}), ${figures.errors} errors`,
    );
    // One profile per thread; the main thread's is the largest.
    const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
    const profiles = files
      .map((file) => ({ file, text: readFileSync(join(profileDir, file), 'utf8') }))
      .sort((a, b) => b.text.length - a.text.length);
    for (const [i, { file, text }] of profiles.entries()) {
      const summary = summarise(JSON.parse(text) as CpuProfile);
      console.log(
        `\n## ${i === 0 ? 'Main thread' : 'Worker thread'} (${file}): ${summary.busyMs.toFixed(0)} ms busy, ${summary.idleMs.toFixed(0)} ms idle`,
      );
      console.log('\nSelf time by package or file:\n');
      console.log(summary.owners.join('\n'));
      console.log('\nHottest functions (self time):\n');
      console.log(summary.functions.join('\n'));
    }
    if (KEEP) console.log(`\nProfiles kept in ${profileDir}`);
    else rmSync(profileDir, { recursive: true, force: true });
  } finally {
    await drop();
  }
}

await runWithCleanup(async () => {
  await main();
  await cleanupAll();
}, 180_000);
process.exit();
