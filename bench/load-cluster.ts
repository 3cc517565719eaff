// `npm run load -- --instances N`: N production servers on one Postgres database behind a
// round-robin proxy, and the checks that only mean something with several instances: a session
// made on one is valid on all, rate limits hold across them, and a webhook delivered to two
// instances at once is applied once. Every request goes to 127.0.0.1.
import { createHmac, randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { users, webhookEvents } from '../db/schema';
import { withDatabase } from './postgres';
import { freePort } from './processes';
import { type RoundRobinProxy, startRoundRobinProxy } from './round-robin-proxy';
import {
  type DatabaseTarget,
  type Emulator,
  type RunningProcess,
  signUp,
  startOurServer,
} from './stack';

export interface Cluster {
  /** The proxy: APP_URL of every instance. */
  url: string;
  instances: RunningProcess[];
  proxy: RoundRobinProxy;
  webhookSecret: string;
  /** Milliseconds from spawning the instances together to the last one answering /healthz. */
  startedInMs: number;
  stop(): Promise<void>;
}

/** Starts `count` instances at once (on an empty database they race to migrate it) and the proxy. */
export async function startCluster(
  logDir: string,
  emulator: Emulator,
  target: DatabaseTarget,
  count: number,
  env: Record<string, string>,
): Promise<Cluster> {
  const proxyPort = await freePort();
  const url = `http://127.0.0.1:${proxyPort}`;
  const webhookSecret = `whsec_load_${randomBytes(12).toString('hex')}`;
  const started = performance.now();
  const instances = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      startOurServer(logDir, emulator, target, `ours-${i + 1}`, {
        env: { APP_URL: url, TRUST_PROXY: 'true', RECUR_WEBHOOK_SECRET: webhookSecret, ...env },
      }),
    ),
  );
  const startedInMs = performance.now() - started;
  const proxy = await startRoundRobinProxy(
    proxyPort,
    instances.map((instance) => instance.url),
  );
  let stopping: Promise<void> | undefined;
  return {
    url,
    instances,
    proxy,
    webhookSecret,
    startedInMs,
    stop: () => {
      stopping ??= (async () => {
        await proxy.close();
        await Promise.all(instances.map((instance) => instance.child.stop()));
      })();
      return stopping;
    },
  };
}

async function post(url: string, body: unknown, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: response.status, text: await response.text() };
}

/** Waits for the next fixed rate-limit window when this one ends within `marginMs`. */
async function awayFromMinuteBoundary(marginMs = 3_000): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

export interface RateLimitProbe {
  signInStatuses: number[];
  portalStatuses: number[];
  held: boolean;
}

/**
 * With the production limits (RATE_LIMIT_SCALE=1), through the proxy, so consecutive requests
 * land on different instances: 7 wrong passwords for one email (limit 5 a minute) and 12 portal
 * sessions for one user (limit 10 a minute). Counted per instance, no request would be refused.
 */
export async function probeRateLimits(
  cluster: Cluster,
  databaseUrl: string,
  customerId: string,
): Promise<RateLimitProbe> {
  const email = `${customerId}@example.com`;
  const password = 'probe-password';
  const cookie = await signUp(cluster.url, email, password);
  await withDatabase(databaseUrl, ({ db }) =>
    db
      .update(users)
      .set({ recurCustomerId: customerId })
      .where(inArray(users.email, [email])),
  );

  await awayFromMinuteBoundary();
  const signInStatuses: number[] = [];
  for (let i = 0; i < 7; i++) {
    const answer = await post(
      `${cluster.url}/trpc/auth.signIn`,
      { email, password: 'wrong-password' },
      { origin: cluster.url },
    );
    signInStatuses.push(answer.status);
  }
  await awayFromMinuteBoundary();
  const portalStatuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    const answer = await post(
      `${cluster.url}/trpc/billing.createPortalSession`,
      {},
      { origin: cluster.url, cookie },
    );
    portalStatuses.push(answer.status);
  }
  const expected = (statuses: number[], allowed: number, ok: number) =>
    statuses.slice(0, allowed).every((status) => status === ok) &&
    statuses.slice(allowed).every((status) => status === 429);
  return {
    signInStatuses,
    portalStatuses,
    held: expected(signInStatuses, 5, 401) && expected(portalStatuses, 10, 200),
  };
}

/** Asks every instance directly who each cookie belongs to; returns the number of mismatches. */
export async function checkSessionsEverywhere(
  cluster: Cluster,
  users: { email: string; cookie: string }[],
): Promise<{ checks: number; wrong: number }> {
  const checks = users.flatMap((user) => cluster.instances.map((instance) => ({ user, instance })));
  let wrong = 0;
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const { user, instance } = checks[next++] ?? {};
      if (!user || !instance) continue;
      const response = await fetch(`${instance.url}/trpc/auth.me`, {
        headers: { cookie: user.cookie },
        signal: AbortSignal.timeout(15_000),
      });
      const json = (await response.json()) as { result?: { data?: { email?: string } } };
      if (json.result?.data?.email !== user.email) wrong++;
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return { checks: checks.length, wrong };
}

const STATUSES = ['trialing', 'active', 'past_due'] as const;

export interface WebhookRun {
  events: number;
  deliveries: number;
  statusCounts: Record<string, number>;
  /** Events whose deliveries did not include exactly one that applied it. */
  notAppliedOnce: number;
  rows: number;
  /** Users whose stored status is not the one of their newest event. */
  wrongStatus: number;
}

/**
 * For each customer, three subscription events (trialing → active → past_due), each delivered
 * twice at once to two instances picked at random, all shuffled: every event must be applied by
 * exactly one delivery, and each user end on the newest status whatever the arrival order.
 */
export async function deliverWebhooks(
  cluster: Cluster,
  databaseUrl: string,
  customers: { customerId: string; userId: string }[],
): Promise<WebhookRun> {
  const run = randomBytes(3).toString('hex');
  const base = Date.now() - 60_000;
  const events = customers.flatMap(({ customerId }, i) =>
    STATUSES.map((status, step) => ({
      id: `evt_load_${run}_${i}_${step}`,
      type: 'subscription.updated',
      timestamp: base + step * 1_000,
      data: { id: `sub_load_${run}_${i}`, customerId, status },
    })),
  );
  const shuffled = [...events].sort(() => Math.random() - 0.5);
  const random = () => cluster.instances[Math.floor(Math.random() * cluster.instances.length)];
  const applied = new Map<string, number>();
  const statusCounts: Record<string, number> = {};
  let next = 0;
  const worker = async () => {
    while (next < shuffled.length) {
      const event = shuffled[next++];
      if (!event) continue;
      const body = JSON.stringify(event);
      const signature = createHmac('sha256', cluster.webhookSecret).update(body).digest('base64');
      const answers = await Promise.all(
        [random(), random()].map(async (instance) => {
          const response = await fetch(`${instance?.url}/api/webhooks/recur`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-recur-signature': signature },
            body,
            signal: AbortSignal.timeout(15_000),
          });
          return { status: response.status, text: await response.text() };
        }),
      );
      for (const answer of answers) {
        statusCounts[answer.status] = (statusCounts[answer.status] ?? 0) + 1;
        if (answer.status === 200 && !answer.text.includes('"duplicate":true')) {
          applied.set(event.id, (applied.get(event.id) ?? 0) + 1);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));

  const { rows, statuses } = await withDatabase(databaseUrl, async ({ db }) => ({
    rows: await db.$count(
      webhookEvents,
      inArray(
        webhookEvents.id,
        events.map((event) => event.id),
      ),
    ),
    statuses: await db
      .select({ status: users.subscriptionStatus })
      .from(users)
      .where(
        inArray(
          users.id,
          customers.map((customer) => customer.userId),
        ),
      ),
  }));
  return {
    events: events.length,
    deliveries: events.length * 2,
    statusCounts,
    notAppliedOnce: events.filter((event) => applied.get(event.id) !== 1).length,
    rows,
    wrongStatus: statuses.filter((row) => row.status !== STATUSES.at(-1)).length,
  };
}
