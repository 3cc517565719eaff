// The baseline: the Express.js route of Recur's portal integration guide (its "Express.js"
// section), written faithfully with express 5, on the same database and Lucia sessions as the app. Its
// `authenticateUser` middleware is ours to write (the guide imports it); it reuses createAuth.
// Run as its own process by bench/run.ts; it reads the same environment as server/main.ts.
import express, { type NextFunction, type Request, type Response } from 'express';
import { Recur } from 'recur-tw/server';
import { createDb } from '../db/create-db';
import { createAuth, type SessionUser } from '../server/auth/lucia';

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
