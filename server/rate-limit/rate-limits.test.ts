import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portalSessionAudit } from '../../db/schema';
import { DEMO_CUSTOMER_ID, type RunningEmulator, startEmulator } from '../../emulator';
import { httpClient } from '../../tests/support/http';
import {
  createTestClient,
  createTestDeps,
  recurEnv,
  startTestApp,
  testConfig,
} from '../../tests/support/test-app';
import { createTestDatabase, type TestDatabase } from '../../tests/support/test-database';
import { signedInClient } from '../../tests/support/test-users';
import { createRecurClient } from '../billing/recur-client';
import type { AppDeps } from '../trpc/context';
import type { AppError } from '../trpc/errors';
import { createRateLimiter } from './rate-limiter';

let database: TestDatabase;
let emulator: RunningEmulator;
let clock = Date.parse('2026-01-01T00:00:00Z');
let deps: AppDeps;

beforeAll(async () => {
  database = await createTestDatabase();
  emulator = await startEmulator({ port: 0 });
  const config = testConfig({ RATE_LIMIT_SCALE: '1' });
  deps = createTestDeps(database, {
    config,
    rateLimiter: createRateLimiter(database.db, { now: () => clock }),
    now: () => clock,
    recur: createRecurClient({
      secretKey: emulator.secretKey,
      apiUrl: emulator.url,
      timeoutMs: 2000,
    }),
  });
});
afterAll(async () => {
  await emulator.close();
  await database.close();
});

async function outcome(promise: Promise<unknown>): Promise<'ok' | AppError> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(TRPCError);
    return error as AppError;
  }
}

describe('the counter', () => {
  it('counts concurrent hits exactly: of 25 at once against a limit of 10, 10 pass', async () => {
    const limiter = createRateLimiter(database.db, { now: () => clock });
    const rule = { name: 'concurrency', limit: 10, windowMs: 60_000 };
    const decisions = await Promise.all(
      Array.from({ length: 25 }, (_, i) => limiter.hit(rule, i % 5 === 0 ? 'other' : 'busy')),
    );
    const allowed = (subject: string) =>
      decisions.filter((d, i) => d.allowed && (i % 5 === 0 ? 'other' : 'busy') === subject).length;
    expect(allowed('busy')).toBe(10);
    expect(allowed('other')).toBe(5);
  });
});

describe('sign-in limit per IP and email', () => {
  it('allows 5 attempts a minute, then backs off for 1, 2, 4 minutes', async () => {
    const { email } = await signedInClient(deps);
    const attempt = (password = 'wrong password!') =>
      outcome(
        createTestClient(deps, { clientIp: '203.0.113.7' })
          .caller()
          .then((caller) => caller.auth.signIn({ email, password })),
      );

    for (let i = 0; i < 5; i++) {
      const result = await attempt();
      expect(result !== 'ok' && result.reason).toBe('invalid_credentials');
    }
    const sixth = await attempt();
    expect(sixth !== 'ok' && sixth.code).toBe('TOO_MANY_REQUESTS');
    expect(sixth !== 'ok' && sixth.retryAfterSeconds).toBe(60);

    // Even the right password is refused during the back-off.
    const rightPassword = await attempt('a long enough password');
    expect(rightPassword !== 'ok' && rightPassword.reason).toBe('rate_limited');

    clock += 61_000;
    for (let i = 0; i < 5; i++) await attempt();
    const secondStrike = await attempt();
    expect(secondStrike !== 'ok' && secondStrike.retryAfterSeconds).toBe(120);

    clock += 121_000;
    for (let i = 0; i < 5; i++) await attempt();
    const thirdStrike = await attempt();
    expect(thirdStrike !== 'ok' && thirdStrike.retryAfterSeconds).toBe(240);
  });

  it('counts another IP or another email separately', async () => {
    const { email } = await signedInClient(deps);
    const fromIp = (ip: string, address: string) =>
      outcome(
        createTestClient(deps, { clientIp: ip })
          .caller()
          .then((caller) => caller.auth.signIn({ email: address, password: 'wrong password!' })),
      );
    for (let i = 0; i < 6; i++) await fromIp('198.51.100.1', email);
    const otherIp = await fromIp('198.51.100.2', email);
    expect(otherIp !== 'ok' && otherIp.reason).toBe('invalid_credentials');
    const otherEmail = await fromIp('198.51.100.1', `other-${email}`);
    expect(otherEmail !== 'ok' && otherEmail.reason).toBe('invalid_credentials');
  });

  it('forgets the strikes after a successful sign-in', async () => {
    const { email } = await signedInClient(deps);
    const client = () => createTestClient(deps, { clientIp: '192.0.2.50' }).caller();
    for (let i = 0; i < 6; i++) {
      await outcome(client().then((c) => c.auth.signIn({ email, password: 'wrong password!' })));
    }
    clock += 61_000;
    expect(
      await outcome(
        client().then((c) => c.auth.signIn({ email, password: 'a long enough password' })),
      ),
    ).toBe('ok');
    clock += 61_000;
    for (let i = 0; i < 5; i++) {
      await outcome(client().then((c) => c.auth.signIn({ email, password: 'wrong password!' })));
    }
    const next = await outcome(
      client().then((c) => c.auth.signIn({ email, password: 'wrong password!' })),
    );
    expect(next !== 'ok' && next.retryAfterSeconds).toBe(60);
  });
});

describe('sign-in limit per IP, whatever the email', () => {
  it('allows 30 attempts a minute from one address, then refuses before hashing', async () => {
    const attempt = (n: number) =>
      outcome(
        createTestClient(deps, { clientIp: '203.0.113.30' })
          .caller()
          .then((caller) =>
            caller.auth.signIn({ email: `spray-${n}@example.com`, password: 'wrong password!' }),
          ),
      );
    for (let n = 0; n < 30; n++) {
      const result = await attempt(n);
      expect(result !== 'ok' && result.reason).toBe('invalid_credentials');
    }
    const next = await attempt(30);
    expect(next !== 'ok' && next.code).toBe('TOO_MANY_REQUESTS');
  });
});

describe('sign-up limit per IP', () => {
  it('allows 10 sign-ups an hour from one address', async () => {
    const signUp = (n: number) =>
      outcome(
        createTestClient(deps, { clientIp: '203.0.113.99' })
          .caller()
          .then((caller) =>
            caller.auth.signUp({
              email: `burst-${n}-${clock}@example.com`,
              password: 'a long enough password',
            }),
          ),
      );
    for (let n = 0; n < 10; n++) expect(await signUp(n)).toBe('ok');
    const eleventh = await signUp(10);
    expect(eleventh !== 'ok' && eleventh.code).toBe('TOO_MANY_REQUESTS');
    expect(eleventh !== 'ok' && eleventh.retryAfterSeconds).toBeGreaterThan(0);
  });
});

describe('billing session limit per user', () => {
  it('allows 10 portal sessions a minute per user, then refuses without calling Recur', async () => {
    const { client, userId } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    for (let i = 0; i < 10; i++) {
      expect(await outcome((await client.caller()).billing.createPortalSession())).toBe('ok');
    }
    const before = emulator.state().portalSessions.length;
    const eleventh = await outcome((await client.caller()).billing.createPortalSession());
    expect(eleventh !== 'ok' && eleventh.code).toBe('TOO_MANY_REQUESTS');
    const checkout = await outcome(
      (await client.caller()).billing.createCheckoutSession({ plan: 'pro-plan' }),
    );
    expect(checkout !== 'ok' && checkout.code).toBe('TOO_MANY_REQUESTS');
    expect(emulator.state().portalSessions.length).toBe(before);
    await deps.portalAudit.settled();
    const outcomes = (
      await database.db
        .select({ outcome: portalSessionAudit.outcome })
        .from(portalSessionAudit)
        .where(eq(portalSessionAudit.userId, userId))
    ).map((row) => row.outcome);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(1);
  });

  it('records a throttled burst once per window, however many requests it holds', async () => {
    const { client, userId } = await signedInClient(deps, { recurCustomerId: DEMO_CUSTOMER_ID });
    const caller = await client.caller();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => outcome(caller.billing.createPortalSession())),
    );
    expect(answers.filter((answer) => answer === 'ok')).toHaveLength(10);
    await deps.portalAudit.settled();
    const outcomes = (
      await database.db
        .select({ outcome: portalSessionAudit.outcome })
        .from(portalSessionAudit)
        .where(eq(portalSessionAudit.userId, userId))
    ).map((row) => row.outcome);
    expect(outcomes.filter((o) => o === 'created')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'throttled')).toHaveLength(1);
  });
});

describe('limits across server instances', () => {
  it('holds one limit across two servers on one database, with a Retry-After header', async () => {
    const env = { ...recurEnv(emulator), RATE_LIMIT_SCALE: '1' };
    const [first, second] = await Promise.all([
      startTestApp(database, { env }),
      startTestApp(await database.openAnotherConnection(), { env }),
    ]);
    try {
      const { email } = await signedInClient(deps);
      // All at once, alternating between the two servers: the counter is shared, so exactly
      // five get through, whichever server each lands on.
      const responses = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          httpClient((i % 2 === 0 ? first : second).url).call('/trpc/auth.signIn', {
            body: { email, password: 'wrong password!' },
          }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429]);
      const refused = responses.find((response) => response.status === 429);
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
