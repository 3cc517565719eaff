// The app's entry point for `npm start` (production build) and `npm run dev` (Vite with HMR).
import './load-env';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDb, DataDirInUseError } from '../db/create-db';
import { DEMO_ACCOUNT, hasDemoAccount } from '../db/seed';
import { type Config, ConfigError, loadConfig } from './config';
import { createStaticHandler } from './http/static-files';
import { createLogger, defaultLogFormat } from './logging/logger';

const CLIENT_DIST = resolve('dist/client');
// Until the configuration is read: the level and format it may set are not known yet.
let logger = createLogger({ level: 'info', format: defaultLogFormat(process.env.NODE_ENV ?? '') });

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      logger.fatal(error.message);
      process.exit(1);
    }
    throw error;
  }
  const { level, format } = config.logging;
  logger = createLogger({ level, format: defaultLogFormat(config.env, format) });

  // The database opens (on PGlite: WebAssembly Postgres starting in its own thread) while the
  // rest of the server loads; the first answer comes that much sooner (docs/benchmarks.md).
  const opening = createDb({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: config.pgliteDataDir,
  });
  opening.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
  const [{ startApp }, serveClient] = await Promise.all([
    import('./app'),
    config.env === 'development' ? viteDevMiddleware() : builtClient(),
  ]);
  const app = await startApp({
    config,
    serveClient,
    logger,
    database: await opening,
    ownsDatabase: true,
  });

  logger.info(`App ready at ${config.appUrl}  (listening on ${app.url})`);
  logger.info(
    `Database: ${app.database.kind === 'pglite' ? `embedded PGlite in ${config.pgliteDataDir}` : 'Postgres server (DATABASE_URL)'}`,
  );
  if (config.recur.mode === 'emulator' && (await hasDemoAccount(app.database.db))) {
    logger.info(`Demo account: ${DEMO_ACCOUNT.email} / ${DEMO_ACCOUNT.password}`);
  }

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: finishing in-flight requests, then closing.`);
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function builtClient() {
  if (!existsSync(resolve(CLIENT_DIST, 'index.html'))) {
    logger.info('No client build found: building it once (npm run build)…');
    const { build } = await import('vite');
    await build({ logLevel: 'warn' });
  }
  return createStaticHandler(CLIENT_DIST);
}

async function viteDevMiddleware() {
  const { createServer } = await import('vite');
  const vite = await createServer({ server: { middlewareMode: true }, appType: 'spa' });
  return (
    req: Parameters<typeof vite.middlewares>[0],
    res: Parameters<typeof vite.middlewares>[1],
  ) => vite.middlewares(req, res);
}

await main().catch((error: NodeJS.ErrnoException) => {
  if (error instanceof DataDirInUseError) {
    logger.fatal(error.message);
    process.exit(1);
  }
  if (error.code === 'EADDRINUSE') {
    logger.fatal(
      `Port ${(error as { port?: number }).port ?? ''} is already in use. Stop what is using it, or set PORT (and RECUR_EMULATOR_PORT for the local Recur emulator) to a free port.`,
    );
    process.exit(1);
  }
  throw error;
});
