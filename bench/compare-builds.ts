// `npx tsx bench/compare-builds.ts before=/tmp/before after=.`: the before and after of a change
// to the embedded database, measured in one run. Each argument names a checkout where
// `npm run build` has run (its node_modules in place); their production servers take turns
// (A B A B …), so the machine's noise falls on both alike. Measured, on PGlite:
// - cold start, spawn → first 200 on /healthz: a new data dir, and an initialised one;
// - billing.createPortalSession at 1 and 50 connections, as in `npm run bench`;
// - the server's resident memory 1 s after it started, and after those runs.
// With --postgres: only the throughput runs, each build on a new database of the Postgres server.
// Prints a Markdown table; writes nothing. A checkout of an older commit for `before`:
//   git worktree add /tmp/before <commit> && ln -s "$PWD/node_modules" /tmp/before/ &&
//   (cd /tmp/before && npm run build)
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { seedDemoAccount } from '../db/seed';
import { type LoadFigures, runAutocannon } from './autocannon-run';
import { readRssMb } from './memory';
import { type BenchDatabase, createBenchDatabase, withDatabase } from './postgres';
import { cleanupAll, makeTempDir, removeTempDir, runWithCleanup } from './processes';
import {
  type DatabaseTarget,
  type Emulator,
  signIn,
  startEmulatorProcess,
  startOurServer,
} from './stack';
import { median, round } from './stats';

const COLD_STARTS = 5;
const RUNS = [
  { connections: 1, seconds: 4, rounds: 2 },
  { connections: 50, seconds: 5, rounds: 3 },
];
const log = (line: string) => console.log(`[compare] ${line}`);

interface Build {
  name: string;
  script: string;
  coldNewMs: number[];
  coldInitialisedMs: number[];
  runs: Map<number, LoadFigures[]>;
  idleMb: number;
  afterLoadMb: number;
}

function parseBuilds(args: string[]): Build[] {
  const builds = args.map((arg) => {
    const [name, dir] = arg.includes('=') ? arg.split('=', 2) : [arg, arg];
    const script = resolve(dir ?? '', 'dist/server/main.js');
    if (!name || !existsSync(script)) throw new Error(`${arg}: no ${script} (run npm run build)`);
    return {
      name,
      script,
      coldNewMs: [],
      coldInitialisedMs: [],
      runs: new Map(),
      idleMb: Number.NaN,
      afterLoadMb: Number.NaN,
    };
  });
  if (builds.length < 2) throw new Error('usage: compare-builds.ts name=checkout name=checkout …');
  return builds;
}

async function coldStart(logDir: string, emulator: Emulator, build: Build, dataDir: string) {
  const target = { kind: 'pglite', dataDir } as const;
  const server = await startOurServer(logDir, emulator, target, 'cold-start', {
    script: build.script,
  });
  await server.child.stop();
  return round(server.readyAfterMs, 0);
}

const POSTGRES = process.argv.includes('--postgres');

async function main(): Promise<void> {
  const builds = parseBuilds(process.argv.slice(2).filter((arg) => !arg.startsWith('--')));
  const logDir = makeTempDir('compare-logs-');
  const emulator = await startEmulatorProcess(logDir);

  if (!POSTGRES) log('cold starts…');
  const initialised = new Map<Build, string>();
  for (const build of POSTGRES ? [] : builds) {
    const dataDir = makeTempDir('compare-initialised-');
    await coldStart(logDir, emulator, build, dataDir); // initialises it; not counted
    initialised.set(build, dataDir);
  }
  for (let i = 0; i < (POSTGRES ? 0 : COLD_STARTS); i++) {
    for (const build of builds) {
      const dataDir = makeTempDir('compare-new-');
      build.coldNewMs.push(await coldStart(logDir, emulator, build, dataDir));
      removeTempDir(dataDir);
      build.coldInitialisedMs.push(
        await coldStart(logDir, emulator, build, initialised.get(build) ?? ''),
      );
    }
  }

  log('throughput…');
  const servers = [];
  const databases: BenchDatabase[] = [];
  for (const build of builds) {
    let target: DatabaseTarget;
    if (POSTGRES) {
      const database = await createBenchDatabase(build.name.replace(/\W/g, '_'));
      databases.push(database);
      await withDatabase(database.url, (db) => seedDemoAccount(db.db));
      target = { kind: 'postgres', url: database.url };
    } else {
      const dataDir = initialised.get(build) ?? '';
      await withDatabase(dataDir, (database) => seedDemoAccount(database.db));
      target = { kind: 'pglite', dataDir };
    }
    const server = await startOurServer(logDir, emulator, target, build.name, {
      script: build.script,
    });
    await new Promise((done) => setTimeout(done, 1_000));
    build.idleMb = round(readRssMb(server.child.scriptPid()));
    const cookie = await signIn(server.url, 'demo@example.com', 'demo-password');
    const load = {
      label: build.name,
      url: `${server.url}/trpc/billing.createPortalSession`,
      headers: { cookie, origin: server.url, 'content-type': 'application/json' },
      body: '{}',
    };
    await runAutocannon(load, 10, 2); // warm-up
    servers.push({ build, load, pid: server.child.scriptPid() });
  }
  for (const { connections, seconds, rounds } of RUNS) {
    for (let round_ = 0; round_ < rounds; round_++) {
      for (const { build, load } of servers) {
        const figures = await runAutocannon(load, connections, seconds);
        log(`${build.name} c=${connections}: ${round(figures.rps)} req/s, p99 ${figures.p99Ms} ms`);
        build.runs.set(connections, [...(build.runs.get(connections) ?? []), figures]);
      }
    }
  }
  for (const { build, pid } of servers) build.afterLoadMb = round(readRssMb(pid));
  await cleanupAll();
  for (const database of databases) await database.drop();

  const samples = (ms: number[]) => (ms.length ? `${median(ms)} (${ms.join(', ')})` : '—');
  const cell = (runs: LoadFigures[] | undefined) => {
    if (!runs?.length) return '—';
    const errors = runs.reduce((total, run) => total + run.errors, 0);
    return `${round(median(runs.map((r) => r.rps)))} req/s, p50 ${median(runs.map((r) => r.p50Ms))} ms, p99 ${median(runs.map((r) => r.p99Ms))} ms${errors ? `, ${errors} ERRORS` : ''}`;
  };
  console.log(
    [
      '',
      `| Build | Cold start, new data dir (median ms) | Cold start, initialised (median ms) | ${POSTGRES ? 'Postgres' : 'PGlite'} c=1 | ${POSTGRES ? 'Postgres' : 'PGlite'} c=50 | RSS idle → after load |`,
      '|---|---:|---:|---|---|---|',
      ...builds.map(
        (b) =>
          `| ${b.name} | ${samples(b.coldNewMs)} | ${samples(b.coldInitialisedMs)} | ${cell(b.runs.get(1))} | ${cell(b.runs.get(50))} | ${b.idleMb} → ${b.afterLoadMb} MB |`,
      ),
    ].join('\n'),
  );
}

await runWithCleanup(main, 600_000);
process.exit();
