// The processes under test: the Recur emulator, our production server, the Express baseline.
import { randomBytes } from 'node:crypto';
import { type Child, freePort, spawnTsx, waitForHttp } from './processes';

/** The emulator makes up a key per process unless given one; the bench gives it this one. */
export const EMULATOR_KEY = `sk_test_bench_${randomBytes(12).toString('hex')}`;
/** The production build of the server, as `npm start` runs it. */
export const OUR_SERVER = 'dist/server/main.js';
/** Rate limits are raised this much for every bench and load run (the app reads it). */
export const RATE_LIMIT_SCALE = '1000000';
const START_TIMEOUT_MS = 60_000;

export interface RunningProcess {
  child: Child;
  url: string;
  /** Milliseconds from spawn() to the first successful readiness answer. */
  readyAfterMs: number;
}

export interface Emulator extends RunningProcess {
  adminToken: string;
}

export async function startEmulatorProcess(logDir: string): Promise<Emulator> {
  const port = await freePort();
  const adminToken = `bench_${randomBytes(8).toString('hex')}`;
  const child = spawnTsx(
    'emulator',
    'emulator/cli.ts',
    {
      RECUR_EMULATOR_PORT: String(port),
      RECUR_EMULATOR_QUIET: '1',
      RECUR_EMULATOR_ADMIN_TOKEN: adminToken,
      RECUR_EMULATOR_SECRET_KEYS: EMULATOR_KEY,
    },
    logDir,
  );
  const url = `http://127.0.0.1:${port}`;
  const ready = await waitForHttp(`${url}/_emulator/health`, {
    timeoutMs: START_TIMEOUT_MS,
    child,
  });
  return { child, url, adminToken, readyAfterMs: ready - child.startedAt };
}

/** Where the database lives: a postgres:// URL, or a PGlite data directory. */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string };

export function databaseEnv(target: DatabaseTarget): Record<string, string> {
  return target.kind === 'postgres'
    ? { DATABASE_URL: target.url }
    : { PGLITE_DATA_DIR: target.dataDir };
}

function commonEnv(port: number, emulator: Emulator, target: DatabaseTarget) {
  return {
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    APP_URL: `http://127.0.0.1:${port}`,
    RECUR_SECRET_KEY: EMULATOR_KEY,
    RECUR_API_URL: emulator.url,
    RATE_LIMIT_SCALE,
    ...databaseEnv(target),
  };
}

/**
 * `node dist/server/main.js`, exactly as `npm start` runs it (bench/run.ts builds it first), or
 * another build's `main.js` (bench/compare-builds.ts).
 */
export async function startOurServer(
  logDir: string,
  emulator: Emulator,
  target: DatabaseTarget,
  name = 'ours',
  options: {
    /** Variables set on top of the common ones (APP_URL behind a proxy, TRUST_PROXY, …). */
    env?: Record<string, string>;
    /** Another build's main.js (bench/compare-builds.ts). */
    script?: string;
    /** Options for node itself (bench/profile.ts: `--cpu-prof`). */
    nodeArgs?: string[];
  } = {},
): Promise<RunningProcess> {
  const port = await freePort();
  const child = spawnTsx(
    name,
    options.script ?? OUR_SERVER,
    { ...commonEnv(port, emulator, target), ...options.env },
    logDir,
    options.nodeArgs,
  );
  const url = `http://127.0.0.1:${port}`;
  const ready = await waitForHttp(`${url}/healthz`, { timeoutMs: START_TIMEOUT_MS, child });
  return { child, url, readyAfterMs: ready - child.startedAt };
}

/** bench/baseline-express.ts: the integration guide's Express route on the same database. */
export async function startBaseline(
  logDir: string,
  emulator: Emulator,
  target: DatabaseTarget,
): Promise<RunningProcess> {
  const port = await freePort();
  const child = spawnTsx(
    'baseline',
    'bench/baseline-express.ts',
    commonEnv(port, emulator, target),
    logDir,
  );
  const url = `http://127.0.0.1:${port}`;
  const ready = await waitForHttp(`${url}/healthz`, { timeoutMs: START_TIMEOUT_MS, child });
  return { child, url, readyAfterMs: ready - child.startedAt };
}

/** Signs in through tRPC and returns the `session=…` cookie pair. */
export async function signIn(appUrl: string, email: string, password: string): Promise<string> {
  return sessionCookie(appUrl, 'auth.signIn', { email, password });
}

/** Signs up, then signs in (sign-up itself answers without a session), and returns the cookie. */
export async function signUp(appUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${appUrl}/trpc/auth.signUp`, {
    method: 'POST',
    headers: { origin: appUrl, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(15_000),
  });
  if (!response.ok) {
    throw new Error(
      `auth.signUp failed: ${response.status} ${(await response.text()).slice(0, 300)}`,
    );
  }
  return signIn(appUrl, email, password);
}

async function sessionCookie(appUrl: string, procedure: string, body: unknown): Promise<string> {
  const response = await fetch(`${appUrl}/trpc/${procedure}`, {
    method: 'POST',
    headers: { origin: appUrl, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  const cookie = response.headers
    .getSetCookie()
    .map((value) => value.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('session=') && pair.length > 'session='.length);
  if (!response.ok || !cookie) {
    throw new Error(`${procedure} failed: ${response.status} ${text.slice(0, 300)}`);
  }
  return cookie;
}
