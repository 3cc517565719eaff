import { type Agent, request } from 'node:http';
import { connect } from 'node:net';
import { asc } from 'drizzle-orm';
import type { Db } from '../../db/create-db';
import { portalSessionAudit, sessions, users, webhookEvents } from '../../db/schema';

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Header names and values exactly as they came on the wire, in order. */
  rawHeaders: string[];
  text: string;
}

/**
 * One request with node:http, so nothing is normalised on the way: the path is sent as given
 * (`/../x`, `%2e%2e`, invalid percent-encoding) and any method or header can be used.
 */
export function rawRequest(
  baseUrl: string,
  options: {
    method?: string;
    path: string;
    headers?: Record<string, string | number>;
    body?: string | Buffer;
    /** Sends the body chunked, without Content-Length. */
    chunked?: boolean;
    agent?: Agent;
  },
): Promise<Reply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: {
          ...(body === undefined || options.chunked ? {} : { 'content-length': body.length }),
          ...(options.chunked ? { 'transfer-encoding': 'chunked' } : {}),
          ...options.headers,
        },
        ...(options.agent ? { agent: options.agent } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            rawHeaders: res.rawHeaders,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Writes bytes to a fresh socket and returns everything the server answers until it closes. */
export function rawExchange(baseUrl: string, bytes: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

/** What must never appear in a response body: stack traces, SQL and driver errors, file paths. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /"stack"\s*:/,
  /\bat\s+[\w.<>$[\]]+\s+\((?:file:|node:|\/)/,
  /^\s+at\s+\S/m,
  /(?:\/work\/|\/home\/|\/usr\/|node_modules|file:\/\/)/,
  /\b[\w-]+\.(?:ts|tsx|mjs|cjs|js):\d+/,
  /\bselect\b[^"\n]{0,120}\bfrom\s+"?\w/i,
  /\binsert\s+into\b/i,
  /\bupdate\s+"?\w+"?\s+set\b/i,
  /\bdelete\s+from\b/i,
  /syntax error at or near|violates \w+ constraint|duplicate key value|relation "\w+"/i,
  /PostgresError|PGlite|drizzle|SQLSTATE/i,
];

/**
 * The first leak pattern the body matches that the request did not itself contain (an error
 * message may quote a path or a key the client sent), or null.
 */
export function findLeak(body: string, sent = ''): RegExp | null {
  let decoded = sent;
  try {
    decoded = decodeURIComponent(sent);
  } catch {}
  for (const pattern of LEAK_PATTERNS) {
    if (pattern.test(body) && !pattern.test(sent) && !pattern.test(decoded)) return pattern;
  }
  return null;
}

/** Every error message in a tRPC answer (single or batch) or a plain `{ error }` answer. */
export function errorMessages(json: unknown): string[] {
  const items = Array.isArray(json) ? json : [json];
  return items.flatMap((item) => {
    const message = (item as { error?: { message?: unknown } } | null)?.error?.message;
    return typeof message === 'string' ? [message] : [];
  });
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The rows a rejected request must leave alone. rate_limits is left out on purpose: a request
 * that reaches a limited procedure is counted even when it then fails (that is its job).
 */
export async function stateOf(db: Db) {
  const [userRows, sessionRows, auditRows, eventRows] = await Promise.all([
    db
      .select({
        id: users.id,
        email: users.email,
        passwordHash: users.passwordHash,
        displayName: users.displayName,
        locale: users.locale,
        recurCustomerId: users.recurCustomerId,
        subscriptionStatus: users.subscriptionStatus,
      })
      .from(users)
      .orderBy(asc(users.id)),
    db.select({ id: sessions.id }).from(sessions).orderBy(asc(sessions.id)),
    db.select({ id: portalSessionAudit.id }).from(portalSessionAudit),
    db.select({ id: webhookEvents.id }).from(webhookEvents),
  ]);
  return {
    users: userRows.length,
    sessions: sessionRows.length,
    portalSessionAudit: auditRows.length,
    webhookEvents: eventRows.length,
    userRows: JSON.stringify(userRows),
    sessionIds: sessionRows.map((row) => row.id).join(','),
  };
}
