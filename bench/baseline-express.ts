// The baseline: the Express.js route of Recur's portal integration guide (its "Express.js"
// section), written faithfully with express 5, on the same database and Lucia sessions as the app. Its
// `authenticateUser` middleware is ours to write (the guide imports it); it reuses createAuth.
// Run as its own process by bench/run.ts; it reads the same environment as server/main.ts.
// A second route, /api/portal/create-audited, is the same route doing the bookkeeping ours does
// the way one would add it to the guide's code: the same rate limit (RateLimiter.hit) before
// Recur, and the same audit row and activity (one transaction) after it, awaited.
import express, { type NextFunction, type Request, type Response } from 'express';
import { Recur } from 'recur-tw/server';
import { createDb } from '../db/create-db';
import { accountActivity, type PortalSessionOutcome, portalSessionAudit } from '../db/schema';
import { createAuth, type SessionUser } from '../server/auth/lucia';
import { createRateLimiter } from '../server/rate-limit/rate-limiter';
import { rateRules } from '../server/rate-limit/rules';

const env = process.env;
const port = Number(env.PORT ?? 3001);
const host = env.HOST ?? '127.0.0.1';
const appUrl = env.APP_URL ?? `http://localhost:${port}`;

const database = await createDb({
  databaseUrl: env.DATABASE_URL || undefined,
  pgliteDataDir: env.PGLITE_DATA_DIR || './.data/pglite',
});
const auth = createAuth(database.db, { secureCookies: appUrl.startsWith('https://') });

type AuthenticatedRequest = Request & { user: SessionUser };

// middleware/auth.js
async function authenticateUser(req: Request, res: Response, next: NextFunction) {
  const session = await auth.validateCookie(req.headers.cookie);
  if (!session) {
    res.status(401).json({ error: { message: 'Unauthorized' } });
    return;
  }
  if (session.renewedCookie) res.append('Set-Cookie', session.renewedCookie);
  (req as AuthenticatedRequest).user = session.user;
  next();
}

// routes/portal.js
const router = express.Router();

const recur = new Recur(env.RECUR_SECRET_KEY ?? '', {
  ...(env.RECUR_API_URL ? { baseUrl: env.RECUR_API_URL } : {}),
});

router.post('/create', authenticateUser, async (req, res) => {
  try {
    const { recurCustomerId } = (req as AuthenticatedRequest).user;

    if (!recurCustomerId) {
      return res.status(404).json({
        error: { message: 'No subscription found' },
      });
    }

    const session = await recur.portal.sessions.create({
      customer: recurCustomerId,
      returnUrl: `${appUrl}/account`,
    });

    res.json({ url: session.url });
  } catch (error) {
    console.error('Portal session error:', error);
    res.status(500).json({
      error: { message: 'Failed to create portal session' },
    });
  }
});

const rateLimiter = createRateLimiter(database.bookkeepingDb, {
  scale: Number(env.RATE_LIMIT_SCALE ?? 1),
});

async function audit(user: SessionUser, outcome: PortalSessionOutcome, portalSessionId?: string) {
  await database.bookkeepingDb.transaction(async (tx) => {
    await tx.insert(portalSessionAudit).values({
      userId: user.id,
      recurCustomerId: user.recurCustomerId,
      portalSessionId: portalSessionId ?? null,
      outcome,
    });
    if (outcome === 'created') {
      await tx.insert(accountActivity).values({ userId: user.id, kind: 'portal_opened' });
    }
  });
}

router.post('/create-audited', authenticateUser, async (req, res) => {
  const user = (req as AuthenticatedRequest).user;
  try {
    const decision = await rateLimiter.hit(rateRules.billingSession, user.id);
    if (!decision.allowed) {
      if (decision.firstRefusal) await audit(user, 'throttled');
      return res.status(429).json({ error: { message: 'Too many requests' } });
    }
    if (!user.recurCustomerId) {
      await audit(user, 'no_customer');
      return res.status(404).json({ error: { message: 'No subscription found' } });
    }
    const session = await recur.portal.sessions.create({
      customer: user.recurCustomerId,
      returnUrl: `${appUrl}/account`,
    });
    await audit(user, 'created', session.id);
    res.json({ url: session.url });
  } catch (error) {
    console.error('Portal session error:', error);
    await audit(user, 'unavailable').catch(() => {});
    res.status(500).json({ error: { message: 'Failed to create portal session' } });
  }
});

const app = express();
app.use('/api/portal', router);
app.get('/healthz', async (_req, res) => {
  await database.ping();
  res.json({ status: 'ok' });
});

const server = app.listen(port, host, () => {
  console.log(`baseline (express) listening on http://${host}:${port}`);
});
server.keepAliveTimeout = 5_000;

const stop = () => {
  server.close(() => {
    void database.close().finally(() => process.exit(0));
  });
  server.closeIdleConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
