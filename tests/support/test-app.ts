import type { Database } from '../../db/create-db';
import { type RunningApp, startApp } from '../../server/app';
import { createAuth } from '../../server/auth/lucia';
import { createPortalAudit } from '../../server/billing/portal-audit';
import { createRecurClient } from '../../server/billing/recur-client';
import { type Config, loadConfig } from '../../server/config';
import { type Logger, loggerWritingTo } from '../../server/logging/logger';
import { createMailer } from '../../server/mail/mailer';
import { createRateLimiter } from '../../server/rate-limit/rate-limiter';
import { appRouter } from '../../server/routers/app-router';
import { type AppDeps, createContext } from '../../server/trpc/context';
import { createCallerFactory } from '../../server/trpc/init';
import { createCookieJar } from './cookie-jar';

export function testConfig(env: Record<string, string> = {}): Config {
  // Every test client and HTTP request comes from one address, so limits are raised; the
  // rate-limit tests set RATE_LIMIT_SCALE back to 1. Tests run the emulator on purpose, whatever
  // public APP_URL they pretend to be served at (RECUR_EMULATOR=1, the production guard's opt-in).
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    RECUR_EMULATOR_PORT: '0',
    RECUR_EMULATOR: '1',
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
    logger: loggerWritingTo(overrides.log ?? (() => {})),
    db: database.db,
    auth: createAuth(database.db, { secureCookies: config.secureCookies }),
    // A test that reaches Recur passes its own client; this one finds nothing listening.
    recur: createRecurClient({
      secretKey: 'sk_test_none',
      apiUrl: 'http://127.0.0.1:1',
      timeoutMs: 1000,
    }),
    rateLimiter: createRateLimiter(database.bookkeepingDb, { scale: config.rateLimitScale }),
    portalAudit: createPortalAudit(database.bookkeepingDb, {
      log: overrides.log ?? (() => {}),
      scale: config.rateLimitScale,
      now: overrides.now ?? Date.now,
    }),
    webhookSecret: 'whsec_test_secret',
    log: () => {},
    // A test that reads mail passes a mailer to its own mailbox (tests/support/test-mailbox.ts);
    // this one's sends fail at once, which sign-up shrugs off as it would in production.
    mailer: createMailer({
      smtp: { url: 'smtp://127.0.0.1:1' },
      from: 'app@example.com',
      log: () => {},
    }),
    now: Date.now,
    ...overrides,
  };
}

const createCaller = createCallerFactory(appRouter);

/**
 * A tRPC caller as one browser would be: it keeps the cookies the server sets and sends them
 * back on the next call, like a cookie jar.
 */
export function createTestClient(
  deps: AppDeps,
  options: { clientIp?: string; userAgent?: string } = {},
) {
  const jar = createCookieJar();
  const setCookies: string[] = [];
  return {
    setCookies,
    /** The Cookie header this browser sends; setting it replaces every cookie. */
    get cookie() {
      return jar.header;
    },
    set cookie(value: string | undefined) {
      jar.header = value;
    },
    /** One cookie's value, e.g. the session id in `session`. */
    cookieValue: (name: string) => jar.get(name),
    async caller() {
      const ctx = await createContext(deps, {
        cookieHeader: jar.header,
        clientIp: options.clientIp ?? '127.0.0.1',
        userAgent: options.userAgent,
        setCookie: (value) => {
          setCookies.push(value);
          jar.store(value);
        },
      });
      return createCaller(ctx);
    },
  };
}

export type TestClient = ReturnType<typeof createTestClient>;

/** `session=abc; HttpOnly; …` → `session=abc`, or undefined for a cookie being cleared. */
export function cookieHeaderFrom(setCookie: string): string | undefined {
  const pair = setCookie.split(';')[0] ?? '';
  return pair.endsWith('=') ? undefined : pair;
}

/**
 * The real server on an ephemeral port. Its log lines go to `log` (deps.log's lines as they are,
 * the logger's as a developer reads them), or with `logger`, everything through that logger.
 */
export async function startTestApp(
  database: Database,
  options: { env?: Record<string, string>; log?: (line: string) => void; logger?: Logger } = {},
): Promise<RunningApp> {
  return startApp({
    config: testConfig(options.env),
    database,
    ...(options.logger ? { logger: options.logger } : { log: options.log ?? (() => {}) }),
  });
}
