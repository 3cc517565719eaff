import type { IncomingMessage } from 'node:http';
import type { Billing } from './billing';
import type { Faults } from './faults';
import type { HandlerResult } from './http';
import type { Store } from './state';
import type { WebhookDispatcher } from './webhooks';

export interface EmulatorConfig {
  publicUrl: string;
  secretKeys: string[];
  adminToken: string;
  portalSessionTtlMs: number;
  checkoutSessionTtlMs: number;
  defaultReturnUrl: string | undefined;
  now: () => number;
}

export interface App {
  config: EmulatorConfig;
  store: Store;
  billing: Billing;
  webhooks: WebhookDispatcher;
  faults: Faults;
}

export interface RequestContext {
  app: App;
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  cookies: Record<string, string>;
  body(): Promise<Buffer>;
}

export type RouteKind = 'api' | 'admin' | 'page' | 'public';

export interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  kind: RouteKind;
  handler: (ctx: RequestContext) => HandlerResult | Promise<HandlerResult>;
}
