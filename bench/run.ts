// `npm run bench`: billing.createPortalSession through the production server against the
// integration guide's Express route and the emulator alone, plus cold start, client bundle size
// and server memory. Prints Markdown tables and writes bench/results.json. Flags:
//   --with-tests   also time `npm test`
//   --no-build     measure the existing dist/ instead of running `npm run build` first
//   --quick        only the throughput runs on Postgres, ours vs the baseline (for trying an
//                  optimisation); writes nothing
//   --pglite       with --quick: ours on PGlite too, in the same alternation
//   --async-commit experiment: the Postgres bench database gets synchronous_commit=off (what
//                  the audit insert would cost without waiting for its WAL flush)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { seedDemoAccount } from '../db/seed';
import { measureBundle } from '../scripts/bundle-size';
import type { LoadFigures, LoadTarget } from './autocannon-run';
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
const WITH_PGLITE = !QUICK || args.has('--pglite');

const WARM_UP_S = 2;
const RUN_1_S = 4;
const RUN_50_S = 5;
const COLD_STARTS = 5;
const DEMO = { email: 'demo@example.com', password: 'demo-password' };
const OURS = 'ours (tRPC)';
/** Ours on PGlite, as a separate target in the same alternation. */
const OURS_PGLITE = 'ours (tRPC) on PGlite';
const BASELINE = 'baseline (Express guide)';
/** The same Express route with ours's bookkeeping (rate limit, audit row), awaited in turn. */
const BASELINE_AUDITED = 'baseline + bookkeeping';
const EMULATOR = 'emulator alone';

const log = (line: string) => console.log(`[bench] ${line}`);
const describe = (f: LoadFigures) =>
  `${f.label} c=${f.connections}: ${round(f.rps)} req/s, p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms${f.errors ? `, ${f.errors} ERRORS` : ''}`;

function oursTarget(server: RunningProcess, cookie: string, label = OURS): LoadTarget {
  return {
    label,
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

function auditedBaselineTarget(server: RunningProcess, cookie: string): LoadTarget {
  return {
    ...baselineTarget(server, cookie),
    label: BASELINE_AUDITED,
    url: `${server.url}/api/portal/create-audited`,
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

interface PgliteServer {
  server: RunningProcess;
  /** VmRSS 1 s after the first start, on a new data directory. */
  freshIdleMb: number;
}

/**
 * Ours on PGlite: a first start on a new data directory, then the usual restart (with a Recur key
 * set the server creates no demo account, so it is added in between, while no server holds the
 * directory).
 */
async function startOursOnPglite(logDir: string, emulator: Emulator): Promise<PgliteServer> {
  const dataDir = makeTempDir('bench-pglite-');
  const target = { kind: 'pglite', dataDir } as const;
  const first = await startOurServer(logDir, emulator, target, 'ours-pglite-first');
  const freshIdleMb = await settledRss(first.child.scriptPid());
  await first.child.stop();
  await withDatabase(dataDir, (db) => seedDemoAccount(db.db));
  const server = await startOurServer(logDir, emulator, target, 'ours-pglite');
  return { server, freshIdleMb };
}

interface ThroughputSection {
  rows: ThroughputRow[];
  memory: MemoryVerdict[];
  coldStarts: ColdStart[];
}

/**
 * Ours and the baseline on Postgres, and ours on PGlite, alternated run by run (A B C A B C …) so
 * that machine noise spreads over all three; then the emulator alone; then the cold starts.
 */
async function throughputSection(logDir: string, emulator: Emulator): Promise<ThroughputSection> {
  const database = await createBenchDatabase('run');
  try {
    if (ASYNC_COMMIT) await database.setOption('synchronous_commit', 'off');
    await withDatabase(database.url, (db) => seedDemoAccount(db.db));
    const target = { kind: 'postgres', url: database.url } as const;
    const ours = await startOurServer(logDir, emulator, target);
    const baseline = await startBaseline(logDir, emulator, target);
    const lite = WITH_PGLITE ? await startOursOnPglite(logDir, emulator) : undefined;
    const oursPid = ours.child.scriptPid();
    const litePid = lite?.server.child.scriptPid();
    const idleMb = await settledRss(oursPid);
    const liteIdleMb = litePid === undefined ? Number.NaN : await settledRss(litePid);
    log(`Postgres: ours ready in ${round(ours.readyAfterMs, 0)} ms, idle RSS ${idleMb} MB`);
    if (lite) {
      log(
        `PGlite: idle RSS ${lite.freshIdleMb} MB on first start (new data dir), ${liteIdleMb} MB on restart`,
      );
    }

    const cookie = await signIn(ours.url, DEMO.email, DEMO.password);
    const targets = [
      oursTarget(ours, cookie),
      baselineTarget(baseline, cookie),
      auditedBaselineTarget(baseline, cookie),
    ];
    if (lite) {
      const liteCookie = await signIn(lite.server.url, DEMO.email, DEMO.password);
      targets.push(oursTarget(lite.server, liteCookie, OURS_PGLITE));
    }
    const upperBound = emulatorTarget(emulator);
    for (const t of [...targets, upperBound]) await checkTarget(t);
    await warmUp([...targets, upperBound], WARM_UP_S);

    const sampled = [
      { label: OURS, pid: oursPid },
      ...(litePid === undefined ? [] : [{ label: OURS_PGLITE, pid: litePid }]),
    ];
    const at1 = await alternate(targets, 1, RUN_1_S, 2, [], (f) => log(describe(f)));
    const at50 = await alternate(targets, 50, RUN_50_S, 3, sampled, (f) => log(describe(f)));
    const emu = await alternate([upperBound], 1, RUN_1_S, 1, [], (f) => log(describe(f)));
    const emu50 = await alternate([upperBound], 50, RUN_50_S, 1, [], (f) => log(describe(f)));
    await Promise.all([ours.child.stop(), baseline.child.stop(), lite?.server.child.stop()]);

    const pick = (runs: Map<string, LoadFigures[]>, label: string) => runs.get(label) ?? [];
    const rows = [
      summarise(OURS, 'Postgres', pick(at1.runs, OURS)),
      summarise(BASELINE, 'Postgres', pick(at1.runs, BASELINE)),
      summarise(BASELINE_AUDITED, 'Postgres', pick(at1.runs, BASELINE_AUDITED)),
      summarise(EMULATOR, '—', pick(emu.runs, EMULATOR)),
      summarise(OURS, 'Postgres', pick(at50.runs, OURS)),
      summarise(BASELINE, 'Postgres', pick(at50.runs, BASELINE)),
      summarise(BASELINE_AUDITED, 'Postgres', pick(at50.runs, BASELINE_AUDITED)),
      summarise(EMULATOR, '—', pick(emu50.runs, EMULATOR)),
    ];
    if (lite) {
      rows.push(
        summarise(OURS, 'PGlite', pick(at1.runs, OURS_PGLITE)),
        summarise(OURS, 'PGlite', pick(at50.runs, OURS_PGLITE)),
      );
    }
    const memoryOf = (label: string) => at50.memory.get(label) ?? { peaksMb: [], afterMb: [] };
    const memory = [
      judgeMemory('Postgres', 150, idleMb, memoryOf(OURS).peaksMb, memoryOf(OURS).afterMb),
    ];
    if (lite) {
      const { peaksMb, afterMb } = memoryOf(OURS_PGLITE);
      memory.push(
        judgeMemory('PGlite (restart)', 350, liteIdleMb, peaksMb, afterMb),
        judgeMemory('PGlite (first start)', 350, lite.freshIdleMb, [], []),
      );
    }
    if (QUICK) return { rows, memory, coldStarts: [] };

    log('cold starts on Postgres…');
    const coldStarts = [await coldStartPostgres(logDir, emulator, database.url, COLD_STARTS)];
    log('cold starts on PGlite…');
    coldStarts.push(...(await coldStartsPglite(logDir, emulator, COLD_STARTS)));
    return { rows, memory, coldStarts };
  } finally {
    await database.drop();
  }
}

function ratios(rows: ThroughputRow[]): Ratio[] {
  const row = (label: string, database: string, connections: number) =>
    rows.find((r) => r.label === label && r.database === database && r.connections === connections);
  const rps = (label: string, database: string, c: number) => row(label, database, c)?.rps ?? NaN;
  const p99 = (label: string, database: string, c: number) => row(label, database, c)?.p99Ms ?? NaN;
  const pglite = rows.some((r) => r.database === 'PGlite');
  return [1, 50].flatMap((c) => [
    {
      name: 'ours ÷ baseline (Postgres)',
      connections: c,
      value: rps(OURS, 'Postgres', c) / rps(BASELINE, 'Postgres', c),
      goal: '≥ 1.0 (aim 1.3)',
    },
    {
      name: 'ours ÷ baseline + bookkeeping (Postgres)',
      connections: c,
      value: rps(OURS, 'Postgres', c) / rps(BASELINE_AUDITED, 'Postgres', c),
      goal: '≥ 1.0',
    },
    {
      name: 'ours ÷ emulator alone (Postgres)',
      connections: c,
      value: rps(OURS, 'Postgres', c) / rps(EMULATOR, '—', c),
      goal: 'upper bound 1.0',
    },
    ...(pglite
      ? [
          {
            name: 'ours on PGlite ÷ ours on Postgres',
            connections: c,
            value: rps(OURS, 'PGlite', c) / rps(OURS, 'Postgres', c),
            goal: c === 50 ? '≥ 0.7' : '—',
          },
          {
            name: 'p99 on PGlite ÷ p99 on Postgres (ours)',
            connections: c,
            value: p99(OURS, 'PGlite', c) / p99(OURS, 'Postgres', c),
            goal: c === 50 ? '≤ 3' : '—',
          },
        ]
      : []),
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

  const section = await throughputSection(logDir, emulator);
  await cleanupAll();
  if (QUICK) {
    for (const ratio of ratios(section.rows).filter((r) => !r.name.includes('emulator'))) {
      console.log(`${ratio.name} at ${ratio.connections}: ${round(ratio.value, 2)}`);
    }
    return;
  }
  const testWallSeconds = WITH_TESTS ? timeTests() : null;

  const results: Results = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    settings: {
      RATE_LIMIT_SCALE,
      warmUpSeconds: WARM_UP_S,
      runSecondsAt1: RUN_1_S,
      runSecondsAt50: RUN_50_S,
      coldStartSamples: COLD_STARTS,
      postgresSynchronousCommit: ASYNC_COMMIT ? 'off (experiment)' : 'on (default)',
    },
    throughput: section.rows,
    ratios: ratios(section.rows),
    coldStart: section.coldStarts,
    bundle,
    memory: section.memory,
    testWallSeconds,
    notes: [
      'Ratios, not absolute numbers, are what to compare: the machine is shared and noisy.',
      'Ours and the baseline on Postgres and ours on PGlite ran alternately (A B C A B C …) against the same emulator process; ours and the baseline share the Postgres database, ours on PGlite has its own data dir; figures are medians.',
      'Ours also checks the Host and Origin headers, logs each request, counts a rate limit and writes an audit row per portal session; the baseline does none of these, the baseline + bookkeeping does the last two (the same route of bench/baseline-express.ts, the same process).',
      `Every server ran with RATE_LIMIT_SCALE=${RATE_LIMIT_SCALE}.`,
      `Whole run: ${round((performance.now() - started) / 1000)} s.`,
    ],
  };
  writeResults(join(ROOT, 'bench/results.json'), results);
  console.log(`\n${formatReport(results)}\n\nWrote bench/results.json`);
}

await runWithCleanup(main, WITH_TESTS ? 540_000 : 300_000);
process.exit();
