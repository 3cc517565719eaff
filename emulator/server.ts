import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticateAdmin, authenticateApiKey } from './auth';
import type { StatusChange } from './billing';
import { Billing } from './billing';
import type { App, EmulatorConfig, RequestContext } from './context';
import { EmulatorError } from './errors';
import { eventPublisher } from './events';
import { type Fault, Faults, faultReply } from './faults';
import { defaultFixture } from './fixture';
import { parseFixture } from './fixture-schema';
import { errorReply, HANG, type HandlerResult, parseCookies, type Reply, readBody } from './http';
import { newTestSecretKey } from './ids';
import { matchRoute } from './router';
import { routes } from './routes/index';
import { Store } from './state';
import type {
  EmulatorData,
  EmulatorOptions,
  Fixture,
  Subscription,
  WebhookDelivery,
} from './types';
import { WebhookDispatcher } from './webhooks';

export interface RunningEmulator {
  /** Base URL to pass as the SDK's `baseUrl`, e.g. http://127.0.0.1:54321 */
  url: string;
  port: number;
  /** The first accepted secret key (random per start unless `secretKeys` was given). */
  secretKey: string;
  adminToken: string;
  close(): Promise<void>;
  /** A deep copy of the whole state. */
  state(): EmulatorData;
  reset(fixture?: Fixture): void;
  injectFault(fault: {
    mode: Fault['mode'];
    count?: number;
    path?: string;
    delayMs?: number;
  }): void;
  clearFaults(): void;
  /** Faults not used up yet. */
  faults(): Fault[];
  setSubscriptionStatus(id: string, change: StatusChange): Subscription;
  webhookDeliveries(): WebhookDelivery[];
  /** Resolves when no webhook delivery is pending (including retries). */
  webhooksIdle(): Promise<void>;
  /** Sends later events to this endpoint (or to none), e.g. once the app's port is known. */
  setWebhook(webhook: EmulatorOptions['webhook']): void;
}

const DEFAULT_PORTAL_TTL_MS = 60 * 60 * 1000;
const DEFAULT_CHECKOUT_TTL_MS = 24 * 60 * 60 * 1000;

function send(res: ServerResponse, reply: Reply, head: boolean): void {
  res.writeHead(reply.status, reply.headers);
  res.end(head ? undefined : reply.body);
}

async function handle(
  app: App,
  req: IncomingMessage,
  res: ServerResponse,
  log: (line: string) => void,
): Promise<void> {
  const method = req.method ?? 'GET';
  const url = new URL(req.url ?? '/', 'http://emulator.invalid');
  let result: HandlerResult;
  try {
    result = await dispatch(app, req, url);
  } catch (error) {
    if (error instanceof EmulatorError) result = errorReply(error);
    else {
      log(`internal error on ${method} ${url.pathname}: ${String(error)}`);
      result = errorReply(
        new EmulatorError(500, 'api_error', 'internal_error', 'The emulator hit an internal error'),
      );
    }
  }
  app.store.flush();
  if (result === HANG) {
    log(`${method} ${url.pathname} (hanging: injected fault)`);
    return;
  }
  log(`${method} ${url.pathname} ${result.status}`);
  if (!res.destroyed) send(res, result, method === 'HEAD');
}

async function dispatch(app: App, req: IncomingMessage, url: URL): Promise<HandlerResult> {
  const match = matchRoute(routes, req.method ?? 'GET', url.pathname);
  if (match.kind === 'none') {
    throw new EmulatorError(
      404,
      'invalid_request_error',
      'route_not_found',
      `No route for ${req.method} ${url.pathname}`,
    );
  }
  if (match.kind === 'wrong_method') {
    throw new EmulatorError(
      405,
      'invalid_request_error',
      'method_not_allowed',
      `${req.method} is not allowed on ${url.pathname}`,
      { Allow: match.allow.join(', ') },
    );
  }
  const { route, params } = match;
  if (route.kind === 'api') {
    authenticateApiKey(req, app.config);
    const fault = app.faults.take(url.pathname);
    if (fault?.mode === 'slow')
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs ?? 0));
    else if (fault) return faultReply(fault.mode);
  }
  if (route.kind === 'admin') authenticateAdmin(req, app.config);
  if (route.kind === 'api' || route.kind === 'page') app.billing.sweep();
  let body: Promise<Buffer> | undefined;
  const ctx: RequestContext = {
    app,
    req,
    url,
    params,
    cookies: parseCookies(req.headers.cookie),
    body: () => {
      body ??= readBody(req);
      return body;
    },
  };
  return route.handler(ctx);
}

function checkWebhookOptions(webhook: EmulatorOptions['webhook']): void {
  const encoding = webhook?.signatureEncoding;
  if (encoding !== undefined && encoding !== 'base64' && encoding !== 'hex') {
    throw new Error('Recur emulator: webhook.signatureEncoding must be "base64" or "hex"');
  }
}

function displayHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const now = options.now ?? Date.now;
  const log = options.logger ?? (() => {});
  const host = options.host ?? '127.0.0.1';
  const fixture = parseFixture(options.fixture ?? defaultFixture());
  const secretKeys = options.secretKeys?.length ? options.secretKeys : [newTestSecretKey()];
  const live = secretKeys.find((key) => !key.startsWith('sk_test_'));
  if (live) throw new Error('Recur emulator: secretKeys must all start with sk_test_');
  const eventForm = options.eventForm ?? 'snake';
  if (eventForm !== 'snake' && eventForm !== 'camel') {
    throw new Error('Recur emulator: eventForm must be "snake" or "camel"');
  }
  checkWebhookOptions(options.webhook);
  const config: EmulatorConfig = {
    publicUrl: '',
    secretKeys,
    adminToken: options.adminToken ?? randomBytes(18).toString('base64url'),
    portalSessionTtlMs: options.portalSessionTtlMs ?? DEFAULT_PORTAL_TTL_MS,
    checkoutSessionTtlMs: options.checkoutSessionTtlMs ?? DEFAULT_CHECKOUT_TTL_MS,
    defaultReturnUrl: options.defaultReturnUrl,
    now,
  };
  const store = new Store(fixture, now, options.statePath);
  const webhooks = new WebhookDispatcher(store, options.webhook, log);
  const billing = new Billing(store, eventPublisher(eventForm, webhooks.emit));
  const faults = new Faults();
  const app: App = { config, store, billing, webhooks, faults };

  const server = createServer((req, res) => {
    handle(app, req, res, log).catch((error: unknown) => {
      log(`failed to answer: ${String(error)}`);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${displayHost(host)}:${port}`;
  config.publicUrl = (options.publicUrl ?? url).replace(/\/+$/, '');
  store.flush();
  log(`Recur emulator listening on ${url}`);

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    secretKey: secretKeys[0] ?? '',
    adminToken: config.adminToken,
    close() {
      closing ??= new Promise<void>((resolve) => {
        webhooks.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => store.flush());
      return closing;
    },
    state: () => structuredClone(store.data),
    reset: (next) => store.reset(next ? parseFixture(next) : undefined),
    injectFault: (fault) => {
      faults.add(fault);
    },
    clearFaults: () => faults.clear(),
    faults: () => faults.list(),
    setSubscriptionStatus(id, change) {
      const sub = store.subscription(id);
      if (!sub) throw new Error(`No subscription ${id}`);
      billing.setStatus(sub, change);
      store.flush();
      return structuredClone(sub);
    },
    webhookDeliveries: () => structuredClone(store.data.webhookDeliveries),
    webhooksIdle: () => webhooks.idle(),
    setWebhook: (webhook) => {
      checkWebhookOptions(webhook);
      webhooks.configure(webhook);
    },
  };
}
