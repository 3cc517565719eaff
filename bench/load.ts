// `npm run load`: 100 signed-in users, each on its own connection, call
// billing.createPortalSession for 20 s against the production server and a separate emulator;
// then every 2xx must match exactly one 'created' row in portal_session_audit.
// Postgres server by default (a bench_* database, dropped afterwards); `--pglite` for PGlite.
// `--instances N` (Postgres only): N production servers started together on an empty database,
// behind a round-robin proxy (bench/load-cluster.ts), with the checks that need several
// instances: production rate limits held across them, sessions valid on every one, and webhooks
// delivered twice to random instances during the load, each applied once.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { portalSessionAudit, users } from '../db/schema';
import { defaultFixture, emulatorAdmin } from '../emulator';
import { closedLoop } from './load-client';
import {
  type Cluster,
  checkSessionsEverywhere,
  deliverWebhooks,
  probeRateLimits,
  startCluster,
  type WebhookRun,
} from './load-cluster';
import { type BenchDatabase, createBenchDatabase, withDatabase } from './postgres';
import { makeTempDir, runWithCleanup } from './processes';
import {
  type DatabaseTarget,
  type Emulator,
  RATE_LIMIT_SCALE,
  type RunningProcess,
  signUp,
  startEmulatorProcess,
  startOurServer,
} from './stack';
import { round } from './stats';

const USERS = 100;
const DURATION_MS = 20_000;
const SIGN_UP_CONCURRENCY = 4;
const PASSWORD = 'load-test-password';
const USE_PGLITE = process.argv.includes('--pglite');
const INSTANCES = Number(process.argv[process.argv.indexOf('--instances') + 1] ?? 1) || 1;

const log = (line: string) => console.log(`[load] ${line}`);

interface LoadUser {
  email: string;
  customerId: string;
  cookie: string;
  id: string;
}

async function seedEmulatorCustomers(emulator: Emulator, customerIds: string[]): Promise<void> {
  const fixture = defaultFixture();
  await emulatorAdmin(emulator.url, emulator.adminToken).seed({
    ...fixture,
    customers: [
      ...fixture.customers,
      ...customerIds.map((id, i) => ({ id, email: `${id}@example.com`, name: `Load ${i}` })),
    ],
  });
}

async function signUpAll(server: { url: string }, emails: string[]): Promise<string[]> {
  const cookies: string[] = new Array(emails.length);
  let next = 0;
  const worker = async () => {
    while (next < emails.length) {
      const i = next++;
      cookies[i] = await signUp(server.url, emails[i] ?? '', PASSWORD);
    }
  };
  await Promise.all(Array.from({ length: SIGN_UP_CONCURRENCY }, worker));
  return cookies;
}

/** Gives each user its own Recur customer id; returns the user ids in the same order. */
async function linkCustomers(where: string, emails: string[], customerIds: string[]) {
  return withDatabase(where, async ({ db }) => {
    const ids: string[] = [];
    for (const [i, email] of emails.entries()) {
      const [row] = await db
        .update(users)
        .set({ recurCustomerId: customerIds[i] ?? null })
        .where(eq(users.email, email))
        .returning({ id: users.id });
      if (!row) throw new Error(`user ${email} was not created`);
      ids.push(row.id);
    }
    return ids;
  });
}

async function auditRows(where: string, userIds: string[]) {
  return withDatabase(where, ({ db }) =>
    db
      .select({ portalSessionId: portalSessionAudit.portalSessionId })
      .from(portalSessionAudit)
      .where(
        and(inArray(portalSessionAudit.userId, userIds), eq(portalSessionAudit.outcome, 'created')),
      ),
  );
}

function portalSessionIdOf(body: string): string | null {
  return /\/s\/(ps_[A-Za-z0-9_-]+)/.exec(body)?.[1] ?? null;
}

async function main(): Promise<void> {
  if (USE_PGLITE && INSTANCES > 1) {
    throw new Error('--instances needs Postgres: PGlite allows one process per data directory');
  }
  log(
    `RATE_LIMIT_SCALE=${RATE_LIMIT_SCALE} is passed to the server (every rate limit raised that many times).`,
  );
  log(`database: ${USE_PGLITE ? 'embedded PGlite (temp dir)' : 'Postgres server (bench_* db)'}`);
  // The server under load is the production build (`npm start`'s); build it on a fresh clone.
  const build = spawnSync(process.execPath, ['scripts/build-if-missing.mjs'], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('npm run build failed');
  const logDir = makeTempDir('bench-load-logs-');
  const emulator = await startEmulatorProcess(logDir);

  let benchDb: BenchDatabase | undefined;
  let cluster: Cluster | undefined;
  try {
    let target: DatabaseTarget;
    let where: string;
    if (USE_PGLITE) {
      where = makeTempDir('bench-load-pglite-');
      target = { kind: 'pglite', dataDir: where };
    } else {
      // Several instances get an empty database: they migrate it at start, all at once.
      benchDb = await createBenchDatabase('load', { migrated: INSTANCES === 1 });
      where = benchDb.url;
      target = { kind: 'postgres', url: where };
    }

    const run = randomBytes(3).toString('hex');
    const customerIds = Array.from({ length: USERS }, (_, i) => `cus_load_${run}_${i}`);
    const emails = customerIds.map((id) => `${id}@example.com`);
    const probeCustomer = `cus_probe_${run}`;
    await seedEmulatorCustomers(emulator, [...customerIds, probeCustomer]);

    let probe: Awaited<ReturnType<typeof probeRateLimits>> | undefined;
    let server: RunningProcess | undefined;
    if (INSTANCES > 1) {
      log(`${INSTANCES} instances started together on an empty database, production rate limits…`);
      cluster = await startCluster(logDir, emulator, target, INSTANCES, { RATE_LIMIT_SCALE: '1' });
      log(`all ${INSTANCES} up and migrated in ${round(cluster.startedInMs)} ms`);
      probe = await probeRateLimits(cluster, where, probeCustomer);
      log(`rate limits across instances: ${probe.held ? 'held' : 'NOT HELD'}`);
      await cluster.stop();
      cluster = await startCluster(logDir, emulator, target, INSTANCES, { RATE_LIMIT_SCALE });
    } else {
      server = await startOurServer(logDir, emulator, target);
    }
    const front = { url: cluster?.url ?? server?.url ?? '' };

    const signUpStarted = performance.now();
    const cookies = await signUpAll(front, emails);
    log(`signed up ${USERS} users in ${round((performance.now() - signUpStarted) / 1000)} s`);

    // PGlite allows one process per data dir: the server steps aside while we write to it.
    if (USE_PGLITE && server) await server.child.stop();
    const userIds = await linkCustomers(where, emails, customerIds);
    if (USE_PGLITE) server = await startOurServer(logDir, emulator, target);

    const loadUsers: LoadUser[] = emails.map((email, i) => ({
      email,
      customerId: customerIds[i] ?? '',
      cookie: cookies[i] ?? '',
      id: userIds[i] ?? '',
    }));
    const sessions = cluster ? await checkSessionsEverywhere(cluster, loadUsers) : undefined;

    log(`${USERS} concurrent clients for ${DURATION_MS / 1000} s…`);
    const url = cluster?.url ?? server?.url ?? '';
    const [result, webhooks] = await Promise.all([
      closedLoop({
        url: `${url}/trpc/billing.createPortalSession`,
        origin: url,
        clients: loadUsers,
        durationMs: DURATION_MS,
        requestTimeoutMs: 15_000,
        body: '{}',
      }),
      cluster
        ? deliverWebhooks(
            cluster,
            where,
            loadUsers.map((user) => ({ customerId: user.customerId, userId: user.id })),
          )
        : Promise.resolve(undefined),
    ]);

    // A graceful stop writes the audit outcomes still in flight (they follow the answers,
    // decision 27); PGlite also allows one process per data dir.
    await server?.child.stop(15_000);
    await cluster?.stop();
    const rows = await auditRows(where, userIds);
    const recorded = new Map<string, number>();
    for (const row of rows) {
      const id = row.portalSessionId ?? '(none)';
      recorded.set(id, (recorded.get(id) ?? 0) + 1);
    }
    const answered = result.okBodies.map(portalSessionIdOf);
    const missing = answered.filter((id) => id === null || !recorded.has(id)).length;
    const doubled = [...recorded.values()].filter((n) => n > 1).length;
    const unanswered = rows.length - (result.ok - missing);

    const errors = result.non2xx + result.socketErrors;
    const described = cluster
      ? `${INSTANCES} instances behind a round-robin proxy, postgres`
      : target.kind;
    console.log(
      [
        '',
        `Load: ${USERS} users × 1 connection, ${round(result.elapsedMs / 1000)} s, ${described}, RATE_LIMIT_SCALE=${RATE_LIMIT_SCALE}`,
        `  requests  ${result.requests} (${round(result.requests / (result.elapsedMs / 1000))} req/s)`,
        `  latency   p50 ${round(result.p50Ms)} ms, p99 ${round(result.p99Ms)} ms`,
        `  2xx       ${result.ok}`,
        `  errors    ${errors} (non-2xx ${result.non2xx}, socket ${result.socketErrors}) ${JSON.stringify(result.statusCounts)}`,
        `  audit     ${rows.length} 'created' rows for these users vs ${result.ok} 2xx answers: ${missing} answers without a row, ${doubled} sessions recorded twice, ${unanswered} rows without an answer`,
        ...(cluster ? clusterLines(cluster, probe, sessions, webhooks) : []),
        '',
      ].join('\n'),
    );
    const consistent = rows.length === result.ok && missing === 0 && doubled === 0;
    console.log(consistent ? 'AUDIT OK: one row per successful response.' : 'AUDIT MISMATCH');
    console.log(errors === 0 ? 'ERRORS: none.' : `ERRORS: ${errors} (target: zero)`);
    const clusterOk =
      !cluster ||
      (probe?.held === true &&
        sessions?.wrong === 0 &&
        webhooks?.notAppliedOnce === 0 &&
        webhooks.rows === webhooks.events &&
        webhooks.wrongStatus === 0);
    if (cluster) console.log(clusterOk ? 'INSTANCES OK.' : 'INSTANCES: a check failed (above).');
    if (!consistent || errors > 0 || !clusterOk) process.exitCode = 1;
  } finally {
    await cluster?.stop();
    await benchDb?.drop();
  }
}

function clusterLines(
  cluster: Cluster,
  probe: Awaited<ReturnType<typeof probeRateLimits>> | undefined,
  sessions: { checks: number; wrong: number } | undefined,
  webhooks: WebhookRun | undefined,
): string[] {
  return [
    `  spread    ${cluster.proxy.served.join(' / ')} requests through the proxy per instance`,
    `  limits    production limits, round robin: sign-in ${probe?.signInStatuses.join(' ')}; portal ${probe?.portalStatuses.join(' ')} → ${probe?.held ? 'held across instances' : 'NOT HELD'}`,
    `  sessions  ${sessions?.checks} checks (each user's cookie on every instance), ${sessions?.wrong} wrong`,
    `  webhooks  ${webhooks?.events} events × 2 deliveries to random instances during the load, answers ${JSON.stringify(webhooks?.statusCounts)}: ${webhooks?.notAppliedOnce} not applied exactly once, ${webhooks?.rows} webhook_events rows, ${webhooks?.wrongStatus} users not on their newest status`,
  ];
}

await runWithCleanup(main, INSTANCES > 1 ? 300_000 : 180_000);
process.exit();
