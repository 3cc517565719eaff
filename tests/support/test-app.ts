import type { Database } from '../../db/create-db';
import { type RunningApp, startApp } from '../../server/app';
import { createAuth } from '../../server/auth/lucia';
import { createPortalAudit } from '../../server/billing/portal-audit';
import { createRecurClient } from '../../server/billing/recur-client';
import { type Config, loadConfig } from '../../server/config';
import { createRateLimiter } from '../../server/rate-limit/rate-limiter';
import { appRouter } from '../../server/routers/app-router';
import { type AppDeps, createContext } from '../../server/trpc/context';
import { createCallerFactory } from '../../server/trpc/init';

export function testConfig(env: Record<string, string> = {}): Config {
  // Every test client and HTTP request comes from one address, so limits are raised; the
  // rate-limit tests set RATE_LIMIT_SCALE back to 1.
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    RECUR_EMULATOR_PORT: '0',
    RATE_LIMIT_SCALE: '1000',
    ...env,
  });
}

/** Recur settings that send the app's SDK to a test's own emulator. */
export function recurEnv(emulator: { url: string; secretKey: string }): Record<string, string> {
  return { RECUR_SECRET_KEY: emulator.secretKey, RECUR_API_URL: emulator.url };
}

/** Collects log lines instead of printing them, so tests can assert on them. */
export function createLogCollector() {
  const lines: string[] = [];
  return { lines, log: (line: string) => void lines.push(line) };
}

export function createTestDeps(database: Database, overrides: Partial<AppDeps> = {}): AppDeps {
  const config = overrides.config ?? testConfig();
  return {
    config,
    db: database.db,
    auth: createAuth(database.db, { secureCookies: config.secureCookies }),
    // A test that reaches Recur passes its own client; this one finds nothing listening.
    recur: createRecurClient({
      secretKey: 'sk_test_none',
      apiUrl: 'http://127.0.0.1:1',
      timeoutMs: 1000,
    }),
    rateLimiter: createRateLimiter(database.bookkeepingDb, { scale: config.rateLimitScale }),
    portalAudit: createPortalAudit(database.bookkeepingDb),
    webhookSecret: 'whsec_test_secret',
    log: () => {},
    ...overrides,
  };
}

const createCaller = createCallerFactory(appRouter);

/**
 * A tRPC caller as one browser would be: it keeps the session cookie the server sets and sends
 * it back on the next call, like a cookie jar.
 */
export function createTestClient(deps: AppDeps, options: { clientIp?: string } = {}) {
  let cookie: string | undefined;
  const setCookies: string[] = [];
  return {
    setCookies,
    get cookie() {
      return cookie;
    },
    set cookie(value: string | undefined) {
      cookie = value;
    },
    async caller() {
      const ctx = await createContext(deps, {
        cookieHeader: cookie,
        clientIp: options.clientIp ?? '127.0.0.1',
        setCookie: (value) => {
          setCookies.push(value);
          cookie = cookieHeaderFrom(value);
        },
      });
      return createCaller(ctx);
    },
  };
}

/** `session=abc; HttpOnly; …` → `session=abc`, or undefined for a cookie being cleared. */
export function cookieHeaderFrom(setCookie: string): string | undefined {
  const pair = setCookie.split(';')[0] ?? '';
  return pair.endsWith('=') ? undefined : pair;
}

export async function startTestApp(
  database: Database,
  options: { env?: Record<string, string>; log?: (line: string) => void } = {},
): Promise<RunningApp> {
  return startApp({
    config: testConfig(options.env),
    database,
    log: options.log ?? (() => {}),
  });
}
