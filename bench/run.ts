// `npm run bench`: billing.createPortalSession through the production server against the
// integration guide's Express route and the emulator alone, plus cold start, client bundle size
// and server memory. Prints Markdown tables and writes bench/results.json. Flags:
//   --with-tests   also time `npm test`
//   --no-build     measure the existing dist/ instead of running `npm run build` first
//   --quick        only ours vs the baseline on Postgres (for trying an optimisation); writes
//                  nothing
//   --async-commit experiment: the Postgres bench database gets synchronous_commit=off (what
//                  the audit insert would cost without waiting for its WAL flush)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createDb } from '../db/create-db';
import { seedDemoAccount } from '../db/seed';
import type { LoadFigures, LoadTarget } from './autocannon-run';
import { measureBundle } from './bundle-size';
import { type ColdStart, coldStartPostgres, coldStartsPglite } from './cold-start';
import { judgeMemory, type MemoryVerdict, readRssMb } from './memory';
import { createBenchDatabase, withDatabase } from './postgres';
import { cleanupAll, makeTempDir, ROOT, runWithCleanup } from './processes';
import { formatReport, machineInfo, type Ratio, type Results, writeResults } from './report';
import {
  EMULATOR_KEY,
  type Emulator,
  RATE_LIMIT_SCALE,
  type RunningProcess,
  signIn,
  startBaseline,
  startEmulatorProcess,
  startOurServer,
} from './stack';
import { round } from './stats';
import { alternate, summarise, type ThroughputRow, warmUp } from './throughput';

const args = new Set(process.argv.slice(2));
const WITH_TESTS = args.has('--with-tests');
const BUILD = !args.has('--no-build');
const ASYNC_COMMIT = args.has('--async-commit');
const QUICK = args.has('--quick');

const WARM_UP_S = 2;
const RUN_1_S = 4;
const RUN_50_S = 5;
const PGLITE_RUN_S = 4;
const COLD_STARTS = 5;
const DEMO = { email: 'demo@example.com', password: 'demo-password' };
const OURS = 'ours (tRPC)';
const BASELINE = 'baseline (Express guide)';
const EMULATOR = 'emulator alone';

const log = (line: string) => console.log(`[bench] ${line}`);
const describe = (f: LoadFigures) =>
  `${f.label} c=${f.connections}: ${round(f.rps)} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms${f.errors ? `, ${f.errors} ERRORS` : ''}`;

function oursTarget(server: RunningProcess, cookie: string): LoadTarget {
  return {
    label: OURS,
    url: `${server.url}/trpc/billing.createPortalSession`,
    headers: { cookie, origin: server.url, 'content-type': 'application/json' },
    body: '{}',
  };
}

function baselineTarget(server: RunningProcess, cookie: string): LoadTarget {
  return {
    label: BASELINE,
    url: `${server.url}/api/portal/create`,
    headers: { cookie, 'content-type': 'application/json' },
    body: '{}',
  };
}

function emulatorTarget(emulator: Emulator): LoadTarget {
  return {
    label: EMULATOR,
    url: `${emulator.url}/v1/portal/sessions`,
    headers: { authorization: `Bearer ${EMULATOR_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerId: 'cus_demo', returnUrl: 'http://x/account' }),
  };
}

/** One request by hand first: a target that does not answer 2xx with a URL is a setup bug. */
async function checkTarget(target: LoadTarget): Promise<void> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: target.headers,
    body: target.body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  if (!response.ok || !text.includes('"url"')) {
    throw new Error(`${target.label} answered ${response.status}: ${text.slice(0, 300)}`);
  }
}

async function settledRss(pid: number): Promise<number> {
  await new Promise((done) => setTimeout(done, 1_000));
  return round(readRssMb(pid));
}

/** `npm run build`: the client and the bundled server that `npm start` runs. */
function buildClient(): void {
  log('npm run build…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`npm run build failed (status ${result.status})`);
}

function timeTests(): number {
  log('npm test (timed)…');
  const started = performance.now();
  const result = spawnSync('npm', ['test', '--silent'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    timeout: 300_000,
    killSignal: 'SIGKILL',
  });
  const seconds = round((performance.now() - started) / 1000);
  if (result.status !== 0) log(`npm test exited with ${result.status ?? result.signal}`);
  return seconds;
}

async function postgresSection(
  logDir: string,
  emulator: Emulator,
): Promise<{ rows: ThroughputRow[]; memory: MemoryVerdict; coldStart: ColdStart }> {
  const database = await createBenchDatabase('run');
  try {
    if (ASYNC_COMMIT) await database.setOption('synchronous_commit', 'off');
    await withDatabase(database.url, (db) => seedDemoAccount(db.db));
    const target = { kind: 'postgres', url: database.url } as const;
    const ours = await startOurServer(logDir, emulator, target);
    const baseline = await startBaseline(logDir, emulator, target);
    const oursPid = ours.child.scriptPid();
    const idleMb = await settledRss(oursPid);
    log(`Postgres: ours ready in ${round(ours.readyAfterMs, 0)} ms, idle RSS ${idleMb} MB`);

    const cookie = await signIn(ours.url, DEMO.email, DEMO.password);
    const targets = [oursTarget(ours, cookie), baselineTarget(baseline, cookie)];
    const upperBound = emulatorTarget(emulator);
    for (const t of [...targets, upperBound]) await checkTarget(t);
    await warmUp([...targets, upperBound], WARM_UP_S);

    const at1 = await alternate(targets, 1, RUN_1_S, 2, undefined, (f) => log(describe(f)));
    const at50 = await alternate(targets, 50, RUN_50_S, 3, { label: OURS, pid: oursPid }, (f) =>
      log(describe(f)),
    );
    const emu = await alternate([upperBound], 1, RUN_1_S, 1, undefined, (f) => log(describe(f)));
    const emu50 = await alternate([upperBound], 50, RUN_50_S, 1, undefined, (f) =>
      log(describe(f)),
    );
    await Promise.all([ours.child.stop(), baseline.child.stop()]);

    const pick = (runs: Map<string, LoadFigures[]>, label: string) => runs.get(label) ?? [];
    const rows = [
      summarise(OURS, 'Postgres', pick(at1.runs, OURS)),
      summarise(BASELINE, 'Postgres', pick(at1.runs, BASELINE)),
      summarise(EMULATOR, '—', pick(emu.runs, EMULATOR)),
      summarise(OURS, 'Postgres', pick(at50.runs, OURS)),
      summarise(BASELINE, 'Postgres', pick(at50.runs, BASELINE)),
      summarise(EMULATOR, '—', pick(emu50.runs, EMULATOR)),
    ];
    const memory = judgeMemory('Postgres', 150, idleMb, at50.memory.peaksMb, at50.memory.afterMb);
    if (QUICK) return { rows, memory, coldStart: { label: 'skipped', medianMs: 0, samplesMs: [] } };

    log('cold starts on Postgres…');
    const coldStart = await coldStartPostgres(logDir, emulator, database.url, COLD_STARTS);
    return { rows, memory, coldStart };
  } finally {
    await database.drop();
  }
}

async function pgliteSection(
  logDir: string,
  emulator: Emulator,
): Promise<{ rows: ThroughputRow[]; memory: MemoryVerdict[]; coldStarts: ColdStart[] }> {
  const dataDir = makeTempDir('bench-pglite-');
  const target = { kind: 'pglite', dataDir } as const;
  // First start on an empty dir (initdb, migrations, demo seed), then the usual restart.
  const first = await startOurServer(logDir, emulator, target, 'ours-pglite-first');
  const freshIdleMb = await settledRss(first.child.scriptPid());
  await first.child.stop();
  // With a Recur key set the server creates no demo account: add it while no server holds the dir.
  const seeding = await createDb({ pgliteDataDir: dataDir });
  await seedDemoAccount(seeding.db);
  await seeding.close();
  const ours = await startOurServer(logDir, emulator, target, 'ours-pglite');
  const oursPid = ours.child.scriptPid();
  const idleMb = await settledRss(oursPid);
  log(`PGlite: idle RSS ${freshIdleMb} MB on first start (fresh dir), ${idleMb} MB on restart`);

  const cookie = await signIn(ours.url, DEMO.email, DEMO.password);
  const load = oursTarget(ours, cookie);
  await checkTarget(load);
  await warmUp([load], WARM_UP_S);
  const at1 = await alternate([load], 1, PGLITE_RUN_S, 1, undefined, (f) => log(describe(f)));
  const at50 = await alternate([load], 50, PGLITE_RUN_S, 3, { label: OURS, pid: oursPid }, (f) =>
    log(describe(f)),
  );
  await ours.child.stop();

  const rows = [
    summarise(OURS, 'PGlite', at1.runs.get(OURS) ?? []),
    summarise(OURS, 'PGlite', at50.runs.get(OURS) ?? []),
  ];
  const { peaksMb, afterMb } = at50.memory;
  const memory = [
    judgeMemory('PGlite (restart)', 350, idleMb, peaksMb, afterMb),
    judgeMemory('PGlite (first start)', 350, freshIdleMb, [], []),
  ];

  log('cold starts on PGlite…');
  const coldStarts = await coldStartsPglite(logDir, emulator, COLD_STARTS);
  return { rows, memory, coldStarts };
}

function ratios(rows: ThroughputRow[]): Ratio[] {
  const rps = (label: string, database: string, connections: number) =>
    rows.find((r) => r.label === label && r.database === database && r.connections === connections)
      ?.rps ?? Number.NaN;
  return [1, 50].flatMap((c) => [
    {
      name: 'ours ÷ baseline (Postgres)',
      connections: c,
      value: rps(OURS, 'Postgres', c) / rps(BASELINE, 'Postgres', c),
      goal: '≥ 1.0 (aim 1.3)',
    },
    {
      name: 'ours ÷ emulator alone (Postgres)',
      connections: c,
      value: rps(OURS, 'Postgres', c) / rps(EMULATOR, '—', c),
      goal: 'upper bound 1.0',
    },
  ]);
}

async function main(): Promise<void> {
  const started = performance.now();
  log(`RATE_LIMIT_SCALE=${RATE_LIMIT_SCALE} is passed to every server (rate limits raised).`);
  if (BUILD) buildClient();
  const bundle = measureBundle(join(ROOT, 'dist/client'));

  const logDir = makeTempDir('bench-logs-');
  const emulator = await startEmulatorProcess(logDir);
  log(`emulator at ${emulator.url}`);

  const pg = await postgresSection(logDir, emulator);
  if (QUICK) {
    await cleanupAll();
    for (const ratio of ratios(pg.rows).filter((r) => r.name.includes('baseline'))) {
      console.log(`${ratio.name} at ${ratio.connections}: ${round(ratio.value, 2)}`);
    }
    return;
  }
  const lite = await pgliteSection(logDir, emulator);
  await cleanupAll();
  const testWallSeconds = WITH_TESTS ? timeTests() : null;

  const throughput = [...pg.rows, ...lite.rows];
  const results: Results = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    settings: {
      RATE_LIMIT_SCALE,
      warmUpSeconds: WARM_UP_S,
      runSecondsAt1: RUN_1_S,
      runSecondsAt50: RUN_50_S,
      pgliteRunSeconds: PGLITE_RUN_S,
      coldStartSamples: COLD_STARTS,
      postgresSynchronousCommit: ASYNC_COMMIT ? 'off (experiment)' : 'on (default)',
    },
    throughput,
    ratios: ratios(throughput),
    coldStart: [pg.coldStart, ...lite.coldStarts],
    bundle,
    memory: [pg.memory, ...lite.memory],
    testWallSeconds,
    notes: [
      'Ratios, not absolute numbers, are what to compare: the machine is shared and noisy.',
      'Ours and the baseline ran alternately (A B A B …) on the same Postgres database and the same emulator process; figures are medians.',
      'Ours also checks the Origin header, logs each request and writes an audit row per portal session; the baseline does none of these.',
      'PGlite figures are ours alone (two processes cannot share a PGlite data dir).',
      `Every server ran with RATE_LIMIT_SCALE=${RATE_LIMIT_SCALE}.`,
      `Whole run: ${round((performance.now() - started) / 1000)} s.`,
    ],
  };
  writeResults(join(ROOT, 'bench/results.json'), results);
  console.log(`\n${formatReport(results)}\n\nWrote bench/results.json`);
}

await runWithCleanup(main, WITH_TESTS ? 480_000 : 240_000);
process.exit();
