import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createDb, type Database } from '../db/create-db';
import { migrate } from '../db/migrate';
import { DEMO_ACCOUNT, hasDemoAccount, isDatabaseEmpty, seedDemoAccount } from '../db/seed';
import type { RunningEmulator } from '../emulator';
import { deleteStaleAccountTokens } from './auth/account-tokens';
import { deleteStaleVerificationTokens } from './auth/email-verification';
import { createAuth } from './auth/lucia';
import { startLocalEmulator } from './billing/local-emulator';
import { createPortalAudit } from './billing/portal-audit';
import { createRecurClient } from './billing/recur-client';
import { type Config, ConfigError } from './config';
import { createRequestHandler, type RequestHandlerOptions } from './http/create-request-handler';
import { isLocalAppUrl } from './local-url';
import { createLogger, defaultLogFormat, type Logger, loggerWritingTo } from './logging/logger';
import { type AppMail, startMail } from './mail/start-mail';
import { createRateLimiter } from './rate-limit/rate-limiter';
import type { AppDeps } from './trpc/context';

export interface AppOptions {
  config: Config;
  /** A database to use instead of opening one from the config (tests pass their own). */
  database?: Database;
  /**
   * Whether the app closes `database` and may seed it; by default only a database it opened.
   * server/main.ts opens one early and hands it over.
   */
  ownsDatabase?: boolean;
  /** Receives deps.log's lines as they are (tests collect them); structured lines go there as JSON. */
  log?: (line: string) => void;
  /** The structured logger; by default one from the config writing to stdout. */
  logger?: Logger;
  serveClient?: RequestHandlerOptions['serveClient'];
}

export interface RunningApp {
  server: Server;
  /** The address the server listens on, e.g. http://127.0.0.1:3000. */
  url: string;
  deps: AppDeps;
  database: Database;
  /** The in-process Recur emulator, when no RECUR_SECRET_KEY is configured. */
  emulator: RunningEmulator | undefined;
  /** The mailer, and the dev mail server and mailbox page when no SMTP_URL is configured. */
  mail: AppMail;
  /** Stops taking requests, lets in-flight ones finish, then closes what the app opened. */
  close(): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<RunningApp> {
  const { config } = options;
  const { logging } = config;
  const logger =
    options.logger ??
    (options.log
      ? loggerWritingTo(options.log, logging.level)
      : createLogger({
          level: logging.level,
          format: defaultLogFormat(config.env, logging.format),
        }));
  const log = options.log ?? ((line: string) => logger.info(line));
  const ownsDatabase = options.ownsDatabase ?? !options.database;
  const database =
    options.database ??
    (await createDb({ databaseUrl: config.databaseUrl, pgliteDataDir: config.pgliteDataDir }));

  await migrate(database);
  // The demo account only makes sense with the emulator, which knows its Recur customer; it is
  // never created where real Recur keys are configured.
  const demoAvailable = database.kind === 'pglite' && config.recur.mode === 'emulator';
  if (demoAvailable && ownsDatabase && (await isDatabaseEmpty(database.db))) {
    await seedDemoAccount(database.db);
    log('Embedded database was empty: created the demo account (see README).');
  }

  // The demo account's password is in the README: with real billing on a public URL it would be
  // a verified account anyone can sign in to.
  if (
    config.recur.mode === 'remote' &&
    !isLocalAppUrl(config.appUrl) &&
    (await hasDemoAccount(database.db))
  ) {
    if (ownsDatabase) await database.close();
    throw new ConfigError(
      `The demo account (${DEMO_ACCOUNT.email}, whose password is public) exists in this database, ` +
        'which is now used with a Recur key on a public APP_URL. Delete it before starting: ' +
        `DELETE FROM users WHERE id = '${DEMO_ACCOUNT.id}';`,
    );
  }

  let emulator: RunningEmulator | undefined;
  let webhookSecret = config.recurWebhookSecret;
  let connection: { secretKey: string; apiUrl: string };
  if (config.recur.mode === 'remote') {
    connection = config.recur;
  } else {
    emulator = await startLocalEmulator({ port: config.recur.emulatorPort });
    webhookSecret ??= `whsec_${randomBytes(24).toString('hex')}`;
    connection = { secretKey: emulator.secretKey, apiUrl: emulator.url };
    log(`Recur: no RECUR_SECRET_KEY set, so billing uses the local emulator at ${emulator.url}`);
  }
  const recur = createRecurClient({ ...connection, timeoutMs: config.recurTimeoutMs });
  const mail = await startMail(config, log);

  const deps: AppDeps = {
    config,
    logger,
    db: database.db,
    auth: createAuth(database.db, { secureCookies: config.secureCookies }),
    recur,
    // Counters and audit rows go through the async-commit pool (see Database.bookkeepingDb).
    rateLimiter: createRateLimiter(database.bookkeepingDb, { scale: config.rateLimitScale }),
    portalAudit: createPortalAudit(database.bookkeepingDb, {
      log,
      scale: config.rateLimitScale,
    }),
    webhookSecret,
    log,
    mailer: mail.mailer,
    now: Date.now,
  };
  // Hourly housekeeping: expired rate-limit counters and expired sessions.
  const cleanup = setInterval(() => {
    deps.rateLimiter
      .deleteExpired()
      .catch(() => log('cleanup: could not delete expired rate-limit counters'));
    deps.auth
      .deleteExpiredSessions()
      .catch(() => log('cleanup: could not delete expired sessions'));
    deleteStaleVerificationTokens(deps.db, new Date(deps.now())).catch(() =>
      log('cleanup: could not delete stale verification tokens'),
    );
    deleteStaleAccountTokens(deps.db, new Date(deps.now())).catch(() =>
      log('cleanup: could not delete stale account tokens'),
    );
  }, 60 * 60_000);
  cleanup.unref();

  const { http } = config;
  const server = createServer(
    {
      requestTimeout: http.requestTimeoutMs,
      headersTimeout: http.headersTimeoutMs,
      // How often Node looks for requests past those timeouts (its default is every 30 s).
      connectionsCheckingInterval: Math.min(1_000, http.headersTimeoutMs),
    },
    createRequestHandler({
      deps,
      pingDatabase: database.ping,
      ...(options.serveClient ? { serveClient: options.serveClient } : {}),
      ...(mail.devMailbox ? { devMailbox: mail.devMailbox } : {}),
    }),
  );
  server.keepAliveTimeout = http.keepAliveTimeoutMs;
  server.maxConnections = http.maxConnections;
  server.on('clientError', answerMalformedRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  if (emulator && webhookSecret) {
    // Over loopback whatever interface the app listens on: the Host check accepts that name.
    const local = ['0.0.0.0', '::'].includes(config.host) ? `http://127.0.0.1:${port}` : url;
    emulator.setWebhook({ url: `${local}/api/webhooks/recur`, secret: webhookSecret });
  }

  return {
    server,
    url,
    deps,
    database,
    emulator,
    mail,
    close: async () => {
      clearInterval(cleanup);
      await closeServer(server);
      // Portal attempts run on after their clients hang up, and their outcomes are written after
      // the answers: the last ones before the database closes. Bounded by Recur's timeout.
      const settled = await Promise.race([
        deps.portalAudit.settled().then(() => true),
        new Promise<false>((resolve) =>
          setTimeout(() => resolve(false), config.recurTimeoutMs + 5_000).unref(),
        ),
      ]);
      if (!settled) {
        logger.warn(
          `${deps.portalAudit.unsettled()} portal attempts had no outcome at shutdown: their audit rows stay "requested"`,
        );
      }
      await mail.close();
      await emulator?.close();
      if (ownsDatabase) await database.close();
    },
  };
}

async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const forceAfter = setTimeout(() => server.closeAllConnections(), 10_000);
  await closed;
  clearTimeout(forceAfter);
}

/** Requests Node's HTTP parser refuses (oversized headers, bare CR/LF) still get a JSON error. */
function answerMalformedRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) return;
  const [status, text] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout']
        : [400, 'Bad Request'];
  const body = JSON.stringify({ error: { code: 'malformed_request', message: `${text}.` } });
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json\r\nCache-Control: no-store\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
