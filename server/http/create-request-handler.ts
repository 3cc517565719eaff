import type { IncomingMessage, ServerResponse } from 'node:http';
import { nodeHTTPRequestHandler } from '@trpc/server/adapters/node-http';
import { describeCause } from '../log-safe-cause';
import { withRequestId } from '../logging/logger';
import { requestIdOf } from '../logging/request-id';
import { appRouter } from '../routers/app-router';
import { type AppDeps, createContext } from '../trpc/context';
import { AppError } from '../trpc/errors';
import { createRecurWebhookRoute } from '../webhooks/webhook-route';
import { clientIp } from './client-ip';
import { acceptsLoopbackHosts, type HostRule, isAllowedHost } from './host-check';
import { sendError, sendJson } from './json-response';
import { isSameOriginRequest } from './origin-check';
import { createSecurityHeaders, setNoStore } from './security-headers';

export const MAX_BODY_BYTES = 1024 * 1024;
const MAX_BATCH_SIZE = 20;

type Handler = (req: IncomingMessage, res: ServerResponse, pathname: string) => void;

export interface RequestHandlerOptions {
  deps: AppDeps;
  /** Resolves when the database answers; /healthz reports it. */
  pingDatabase: () => Promise<void>;
  /** Serves the SPA for every GET that is not an API route (static files, or Vite in dev). */
  serveClient?: Handler;
  /** The dev mailbox (server/mail/dev-mailbox-page.ts); without it /dev/mailbox is a 404. */
  devMailbox?: Handler;
}

/** The whole HTTP surface of the app: /healthz, /trpc, /api, then the SPA. */
export function createRequestHandler(options: RequestHandlerOptions) {
  const { deps } = options;
  const hostRule: HostRule = {
    appUrl: deps.config.appUrl,
    loopback: acceptsLoopbackHosts(deps.config),
  };
  const setSecurityHeaders = createSecurityHeaders({
    https: deps.config.appUrl.startsWith('https://'),
  });

  const trpc: Handler = (req, res, pathname) => {
    setNoStore(res);
    if (!isSameOriginRequest(req, hostRule)) {
      sendError(res, 403, 'cross_site_request', 'Cross-site requests are not allowed.');
      return;
    }
    void nodeHTTPRequestHandler({
      req,
      res,
      path: pathname.slice('/trpc/'.length),
      router: appRouter,
      maxBodySize: MAX_BODY_BYTES,
      maxBatchSize: MAX_BATCH_SIZE,
      createContext: ({ req, res }) =>
        createContext(deps, {
          cookieHeader: req.headers.cookie,
          clientIp: clientIp(req, deps.config.trustProxy),
          userAgent: req.headers['user-agent'],
          setCookie: (value) => res.appendHeader('Set-Cookie', value),
        }),
      responseMeta: ({ errors, info }) => {
        const headers: Record<string, string> = {};
        // tRPC leaves the type unset (text/plain) when it refuses a request before finding a
        // procedure (batch too large, bad path encoding, wrong content type); the body is JSON.
        if (!info) headers['Content-Type'] = 'application/json';
        const retryAfter = errors.find(
          (error) => error instanceof AppError && error.retryAfterSeconds,
        );
        if (retryAfter instanceof AppError) {
          headers['Retry-After'] = String(retryAfter.retryAfterSeconds);
        }
        return { headers };
      },
      onError: ({ error, path }) => {
        // Billing failures are logged where they are mapped (server/billing/billing-errors.ts).
        const unexpected = error.code === 'INTERNAL_SERVER_ERROR' && !(error instanceof AppError);
        const databaseDown = error instanceof AppError && error.reason === 'database_unavailable';
        if (unexpected || databaseDown) {
          deps.logger.error(`error in ${path ?? 'unknown procedure'}: ${describeCause(error)}`);
        }
      },
    });
  };

  const healthz: Handler = (_req, res) => {
    setNoStore(res);
    options.pingDatabase().then(
      () => sendJson(res, 200, { status: 'ok' }),
      () => sendJson(res, 503, { status: 'unavailable', reason: 'database' }),
    );
  };

  const webhookRoute = createRecurWebhookRoute(deps);
  const recurWebhook: Handler = (req, res) => {
    setNoStore(res);
    webhookRoute(req, res).catch((error: unknown) => {
      deps.logger.error(
        `webhook: unexpected failure: ${error instanceof Error ? error.name : 'unknown'}`,
      );
      if (!res.headersSent)
        sendError(res, 500, 'webhook_failed', 'The event could not be processed.');
    });
  };

  const apiNotFound: Handler = (_req, res) => {
    setNoStore(res);
    sendError(res, 404, 'not_found', 'No such API route.');
  };
  const notFound: Handler = (req, res) =>
    sendError(res, req.method === 'GET' ? 404 : 405, 'not_found', 'Not found.');

  function route(method: string, pathname: string): Handler {
    if (pathname === '/healthz') return healthz;
    if (pathname.startsWith('/trpc/')) return trpc;
    if (pathname === '/api/webhooks/recur') return recurWebhook;
    if (pathname === '/trpc' || pathname.startsWith('/api/')) return apiNotFound;
    if (pathname === '/dev/mailbox' || pathname.startsWith('/dev/mailbox/')) {
      return options.devMailbox ?? notFound;
    }
    if ((method === 'GET' || method === 'HEAD') && options.serveClient) return options.serveClient;
    return notFound;
  }

  return function handleRequest(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    const pathname = safePathname(req.url);
    const reqId = requestIdOf(req, deps.config.trustProxy);
    res.setHeader('X-Request-Id', reqId);
    res.on('finish', () => {
      const ms = (performance.now() - started).toFixed(1);
      const { method } = req;
      const status = res.statusCode;
      deps.logger.info(
        { reqId, method, path: pathname, status, ms: Number(ms) },
        `${method} ${pathname} ${status} ${ms}ms`,
      );
    });
    // Every line logged while this request is handled carries its id.
    withRequestId(reqId, () => handle(req, res, pathname));
  };

  function handle(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    setSecurityHeaders(req, res);

    // Before routing, so that nothing answers for another site's name (/healthz excepted: load
    // balancers probe each instance by its address).
    if (pathname !== '/healthz' && !isAllowedHost(req.headers.host, hostRule)) {
      setNoStore(res);
      res.setHeader('Connection', 'close');
      sendError(res, 421, 'misdirected_request', 'This server does not answer for that host.');
      req.resume();
      return;
    }

    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > MAX_BODY_BYTES) {
      setNoStore(res); // answered before routing, so API routes have not set it yet
      res.setHeader('Connection', 'close');
      sendError(res, 413, 'payload_too_large', 'The request body is larger than 1 MB.');
      req.resume();
      return;
    }

    route(req.method ?? 'GET', pathname)(req, res, pathname);
  }
}

function safePathname(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://localhost').pathname;
  } catch {
    return '/';
  }
}
