/**
 * Hostile requests against the real HTTP server. Every case must be refused with a 4xx and a
 * readable JSON error (or, for a forged session, be treated as signed out), leak no stack trace,
 * SQL or file path, change no row, inject no header, and leave the server serving.
 *
 * "No row changes" covers users, sessions, portal_session_audit and webhook_events. rate_limits is
 * deliberately not compared: a request that reaches a rate-limited procedure is counted even when
 * it then fails, and that is the limiter doing its job.
 */
import { createHmac } from 'node:crypto';
import { Agent } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { MAX_BODY_BYTES } from '../../server/http/create-request-handler';
import { httpClient, signUpAndSignIn } from '../support/http';
import { startTestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import {
  errorMessages,
  findLeak,
  parseJson,
  type Reply,
  rawExchange,
  rawRequest,
  stateOf,
} from './support';

const WEBHOOK_SECRET = 'whsec_hostile_input_secret';
const PASSWORD = 'a fine password';

let database: Database;
let app: RunningApp;
/** `session=…` of a signed-in user. */
let sessionCookie: string;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database, { env: { RECUR_WEBHOOK_SECRET: WEBHOOK_SECRET } });
  const client = httpClient(app.url);
  await signUpAndSignIn(client, { email: 'hostile-victim@example.com', password: PASSWORD });
  sessionCookie = `session=${client.cookieValue('session')}`;
  expect(sessionCookie).toMatch(/^session=[a-z0-9]+$/);
});
afterAll(async () => {
  agent.destroy();
  await app.close();
  await database.close();
});

// Requests -----------------------------------------------------------------------------------

type Send = () => Promise<Reply>;

function send(
  method: string,
  path: string,
  options: {
    body?: string | Buffer;
    headers?: Record<string, string | number>;
    chunked?: boolean;
  } = {},
): Promise<Reply> {
  return rawRequest(app.url, {
    method,
    path,
    agent,
    headers: {
      // Same origin, as the app's own page would send it: the hostile part is elsewhere.
      ...(method === 'GET' || method === 'HEAD' ? {} : { origin: app.url }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.chunked ? { chunked: true } : {}),
  });
}

const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  send('POST', path, { body, headers });
const postJson = (path: string, value: unknown, headers: Record<string, string> = {}) =>
  post(path, JSON.stringify(value), headers);
const signedIn = () => ({ cookie: sessionCookie });
const inputQuery = (value: unknown) => `?input=${encodeURIComponent(JSON.stringify(value))}`;
const batchOf = (path: string, count: number) =>
  Array.from({ length: count }, () => path).join(',');

/** A raw HTTP/1.1 request over its own socket, for bytes node:http refuses to send. */
async function overSocket(head: string): Promise<Reply> {
  // HTTP/1.0, so the answer is not chunked and the socket closes after it.
  const answer = await rawExchange(app.url, `${head}\r\n\r\n`);
  const [headText = '', ...rest] = answer.split('\r\n\r\n');
  const [statusLine = '', ...headerLines] = headText.split('\r\n');
  const rawHeaders = headerLines.flatMap((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const headers: Reply['headers'] = {};
  for (let i = 0; i < rawHeaders.length; i += 2) {
    headers[(rawHeaders[i] ?? '').toLowerCase()] = rawHeaders[i + 1];
  }
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    rawHeaders,
    text: rest.join('\r\n\r\n'),
  };
}

function signWebhook(body: string): string {
  return createHmac('sha256', WEBHOOK_SECRET).update(body).digest('base64');
}

const CRLF_COOKIE = '\r\nSet-Cookie: injected=1\r\nX-Injected: 1';
const tamperedSessionCookie = () => {
  const last = sessionCookie.at(-1) === 'a' ? 'b' : 'a';
  return `${sessionCookie.slice(0, -1)}${last}`;
};

// Cases --------------------------------------------------------------------------------------

/**
 * `rejected`: a 4xx with a JSON error message. `signedOut`: auth.me answers null and the cookie is
 * cleared. `protocol`: Node's HTTP parser refuses the request before the app sees it (a 4xx with
 * no body; the app cannot shape it).
 */
type Expect = 'rejected' | 'signedOut' | 'protocol';
interface Case {
  name: string;
  send: Send;
  expect: Expect;
  /** The exact status, when one is required. */
  status?: number;
}

const rejected = (name: string, status: number, sendIt: Send): Case => ({
  name,
  status,
  send: sendIt,
  expect: 'rejected',
});
const signedOut = (name: string, cookie: string | (() => string)): Case => ({
  name,
  expect: 'signedOut',
  send: () =>
    send('GET', '/trpc/auth.me', {
      headers: { cookie: typeof cookie === 'string' ? cookie : cookie() },
    }),
});

const credentials = { email: 'new-user@example.com', password: PASSWORD };

const cases: Case[] = [
  // Malformed JSON
  rejected('truncated JSON body', 400, () => post('/trpc/auth.signIn', '{"email":')),
  rejected('a body that is not JSON at all', 400, () => post('/trpc/auth.signUp', 'email=x')),
  rejected('an empty JSON body', 400, () => post('/trpc/auth.signIn', '')),
  rejected('JSON with a trailing comma', 400, () =>
    post('/trpc/auth.signUp', '{"email":"a@example.com","password":"12345678",}'),
  ),
  rejected('a truncated batch body', 400, () => post('/trpc/auth.signIn?batch=1', '{"0":')),
  rejected('invalid UTF-8 in the body', 400, () =>
    post('/trpc/auth.signIn', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
  ),

  // Wrong types
  rejected('a number for the email', 400, () =>
    postJson('/trpc/auth.signIn', { email: 42, password: PASSWORD }),
  ),
  rejected('a number for the email on sign-up', 400, () =>
    postJson('/trpc/auth.signUp', { email: 42, password: PASSWORD }),
  ),
  rejected('an array as the input', 400, () => postJson('/trpc/auth.signIn', [credentials])),
  rejected('null as the input', 400, () => post('/trpc/auth.signUp', 'null')),
  rejected('a string as the input', 400, () => postJson('/trpc/auth.signUp', 'hello')),
  rejected('an object for the password', 400, () =>
    postJson('/trpc/auth.signUp', { email: 'obj@example.com', password: { $gt: '' } }),
  ),
  rejected('null fields', 400, () =>
    postJson('/trpc/auth.signUp', { email: null, password: null }),
  ),
  rejected('a number for the locale (signed in)', 400, () =>
    postJson('/trpc/auth.setLocale', { locale: 1 }, signedIn()),
  ),
  rejected('an array as the portal input (signed in)', 400, () =>
    postJson('/trpc/billing.createPortalSession', ['en'], signedIn()),
  ),
  rejected('null as the checkout plan (signed in)', 400, () =>
    postJson('/trpc/billing.createCheckoutSession', { plan: null }, signedIn()),
  ),
  rejected('an array where a batch expects an object', 400, () =>
    postJson('/trpc/auth.signIn?batch=1', [credentials]),
  ),
  rejected('null where a batch expects an object', 400, () =>
    post('/trpc/auth.signIn?batch=1', 'null'),
  ),

  // Sizes around the 1 MB limit
  rejected('a password of 1 MB, the body exactly at the limit', 400, () => {
    const frame = JSON.stringify({ email: 'big@example.com', password: '' });
    return postJson('/trpc/auth.signIn', {
      email: 'big@example.com',
      password: 'x'.repeat(MAX_BODY_BYTES - frame.length),
    });
  }),
  rejected('an email just under 1 MB', 400, () =>
    postJson('/trpc/auth.signUp', {
      email: `${'a'.repeat(MAX_BODY_BYTES - 100)}@example.com`,
      password: PASSWORD,
    }),
  ),
  rejected('a body one byte over 1 MB (Content-Length)', 413, () => {
    const frame = JSON.stringify({ email: 'big@example.com', password: '' });
    return postJson('/trpc/auth.signIn', {
      email: 'big@example.com',
      password: 'x'.repeat(MAX_BODY_BYTES - frame.length + 1),
    });
  }),
  rejected('a body over 1 MB sent chunked, without Content-Length', 413, () =>
    send('POST', '/trpc/auth.signUp', {
      body: Buffer.alloc(MAX_BODY_BYTES + 1024, 'a'),
      chunked: true,
    }),
  ),
  rejected('a 2 MB webhook', 413, () =>
    send('POST', '/api/webhooks/recur', {
      body: Buffer.alloc(2 * MAX_BODY_BYTES, 'a'),
      headers: { 'x-recur-signature': signWebhook('x') },
    }),
  ),
  rejected('a chunked webhook over 1 MB', 413, () =>
    send('POST', '/api/webhooks/recur', {
      body: Buffer.alloc(MAX_BODY_BYTES + 1024, 'a'),
      chunked: true,
    }),
  ),

  // Batches (the server allows 20 calls per batch)
  rejected('a GET batch of 1,000 calls', 400, () =>
    send('GET', `/trpc/${batchOf('auth.me', 1000)}?batch=1`),
  ),
  rejected('a POST batch of 1,000 calls', 400, () =>
    postJson(
      `/trpc/${batchOf('auth.signUp', 1000)}?batch=1`,
      Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [i, credentials])),
    ),
  ),
  rejected('a batch of 21 calls', 400, () =>
    send('GET', `/trpc/${batchOf('auth.me', 21)}?batch=1`),
  ),
  rejected('a batch of 1,000 calls to a procedure that does not exist', 400, () =>
    send('GET', `/trpc/${batchOf('nope', 1000)}?batch=1`),
  ),

  // Unknown procedures and routes
  rejected('an unknown procedure (POST)', 404, () => postJson('/trpc/auth.nothingHere', {})),
  rejected('an unknown procedure (GET)', 404, () => send('GET', '/trpc/nothingHere')),
  rejected('a router path instead of a procedure', 404, () => send('GET', '/trpc/auth')),
  rejected('a path past a procedure', 404, () => postJson('/trpc/auth.signIn.extra', {})),
  rejected('an empty procedure path', 404, () => send('GET', '/trpc/')),
  rejected('/trpc without a path', 404, () => send('GET', '/trpc')),
  rejected('a procedure named __proto__', 404, () => send('GET', '/trpc/__proto__')),
  rejected('a procedure named constructor', 404, () => send('GET', '/trpc/auth.constructor')),
  rejected('a procedure named toString', 404, () => send('GET', '/trpc/toString')),
  rejected('a procedure path through __proto__', 404, () =>
    send('GET', '/trpc/__proto__.constructor'),
  ),
  rejected('an unknown API route', 404, () => postJson('/api/nothing', {})),

  // Prototype keys in the input
  rejected('__proto__ in the sign-in input', 400, () =>
    post(
      '/trpc/auth.signIn',
      '{"__proto__":{"polluted":true},"email":"a@example.com","password":"12345678"}',
    ),
  ),
  rejected('constructor.prototype in the sign-up input', 400, () =>
    post(
      '/trpc/auth.signUp',
      '{"constructor":{"prototype":{"polluted":true}},"email":"proto1@example.com","password":"12345678"}',
    ),
  ),
  rejected('prototype in the sign-up input', 400, () =>
    post(
      '/trpc/auth.signUp',
      '{"prototype":{"polluted":true},"email":"proto2@example.com","password":"12345678"}',
    ),
  ),
  rejected('__proto__ nested in a field', 400, () =>
    post(
      '/trpc/auth.signUp',
      '{"email":{"__proto__":{"polluted":true}},"password":"12345678","displayName":{"constructor":{"prototype":{"polluted":true}}}}',
    ),
  ),
  rejected('__proto__ as a batch key', 400, () =>
    post('/trpc/auth.signUp?batch=1', '{"__proto__":{"0":{"polluted":true}}}'),
  ),
  rejected('__proto__ next to a valid locale (signed in)', 400, () =>
    post('/trpc/auth.setLocale', '{"locale":"en","__proto__":{"polluted":true}}', signedIn()),
  ),
  rejected('a customer id hidden in __proto__ (signed in)', 400, () =>
    post(
      '/trpc/billing.createPortalSession',
      '{"__proto__":{"customerId":"cus_someone_else","polluted":true}}',
      signedIn(),
    ),
  ),
  rejected('__proto__ in a GET input', 405, () =>
    send('GET', `/trpc/auth.signUp?input=${encodeURIComponent('{"__proto__":{"polluted":1}}')}`),
  ),

  // CR/LF in values that could reach a header
  rejected('CRLF and Set-Cookie in the sign-up email', 400, () =>
    postJson('/trpc/auth.signUp', { email: `crlf@example.com${CRLF_COOKIE}`, password: PASSWORD }),
  ),
  rejected('CRLF in the sign-in email', 400, () =>
    postJson('/trpc/auth.signIn', { email: `crlf@example.com${CRLF_COOKIE}`, password: PASSWORD }),
  ),
  rejected('CRLF in the sign-up locale', 400, () =>
    postJson('/trpc/auth.signUp', { ...credentials, locale: `en${CRLF_COOKIE}` }),
  ),
  rejected('CRLF in the locale (signed in)', 400, () =>
    postJson('/trpc/auth.setLocale', { locale: `en${CRLF_COOKIE}` }, signedIn()),
  ),
  rejected('CRLF in the portal locale (signed in)', 400, () =>
    postJson('/trpc/billing.createPortalSession', { locale: `en${CRLF_COOKIE}` }, signedIn()),
  ),
  rejected('CRLF in the checkout plan (signed in)', 400, () =>
    postJson('/trpc/billing.createCheckoutSession', { plan: `pro${CRLF_COOKIE}` }, signedIn()),
  ),
  signedOut(
    'a cookie with percent-encoded CRLF and Set-Cookie',
    `session=abc%0D%0ASet-Cookie:%20injected=1`,
  ),
  {
    name: 'a bare CR inside the Cookie header',
    expect: 'protocol',
    status: 400,
    send: () =>
      overSocket(
        `GET /trpc/auth.me HTTP/1.0\r\nHost: localhost\r\nCookie: session=abc\rSet-Cookie: injected=1`,
      ),
  },
  {
    name: 'a bare LF inside the Cookie header',
    expect: 'protocol',
    status: 400,
    send: () =>
      overSocket(
        `GET /trpc/auth.me HTTP/1.0\r\nHost: localhost\r\nCookie: session=abc\nSet-Cookie: injected=1`,
      ),
  },
  {
    name: 'a Set-Cookie request header next to a forged cookie',
    expect: 'signedOut',
    send: () =>
      overSocket(
        `GET /trpc/auth.me HTTP/1.0\r\nHost: localhost\r\nCookie: session=abc\r\nSet-Cookie: injected=1\r\nX-Injected: 1`,
      ),
  },

  // Forged, overlong and tampered cookies
  signedOut('an 8 KB session cookie', `session=${'a'.repeat(8 * 1024)}`),
  signedOut(
    'a 12 KB Cookie header with the session in the middle',
    `a=${'x'.repeat(6000)}; session=${'b'.repeat(200)}; c=${'y'.repeat(6000)}`,
  ),
  signedOut('a random session id', `session=${'k'.repeat(20)}${'2'.repeat(20)}`),
  signedOut('SQL in the session id', `session=' OR '1'='1`),
  signedOut('SQL with a statement in the session id', `session=x'; DELETE FROM sessions; --`),
  signedOut('percent-encoded SQL in the session id', `session=%27%20OR%201%3D1%20--`),
  signedOut(
    'unicode in the session id (raw UTF-8 bytes)',
    Buffer.from('session=😀ñ中文', 'utf8').toString('latin1'),
  ),
  signedOut('percent-encoded unicode and NUL in the session id', 'session=%F0%9F%98%80%00'),
  signedOut('invalid percent-encoding in the session id', 'session=%E0%A4%A'),
  signedOut('a real session id with one character changed', tamperedSessionCookie),
  signedOut('a real session id with a suffix', () => `${sessionCookie}x`),
  rejected('sign-out with a tampered session id', 401, () =>
    postJson('/trpc/auth.signOut', {}, { cookie: tamperedSessionCookie() }),
  ),
  rejected('a portal session with SQL in the session id', 401, () =>
    postJson('/trpc/billing.createPortalSession', {}, { cookie: `session=' OR 1=1 --` }),
  ),

  // Wrong HTTP methods
  rejected('PUT on a mutation', 405, () => send('PUT', '/trpc/auth.signUp', { body: '{}' })),
  rejected('DELETE on a mutation', 405, () => send('DELETE', '/trpc/auth.signUp', { body: '{}' })),
  rejected('PATCH on a mutation', 405, () => send('PATCH', '/trpc/auth.signIn', { body: '{}' })),
  rejected('PUT on a query', 405, () => send('PUT', '/trpc/auth.me', { body: '{}' })),
  rejected('GET on sign-up with a valid input', 405, () =>
    send('GET', `/trpc/auth.signUp${inputQuery({ email: 'get@example.com', password: PASSWORD })}`),
  ),
  rejected('GET on sign-out (signed in)', 405, () =>
    send('GET', '/trpc/auth.signOut', { headers: signedIn() }),
  ),
  rejected('GET on the portal session (signed in)', 405, () =>
    send('GET', '/trpc/billing.createPortalSession', { headers: signedIn() }),
  ),
  rejected('POST on a query', 405, () => postJson('/trpc/auth.me', {})),
  rejected('DELETE without a body (signed in)', 415, () =>
    send('DELETE', '/trpc/auth.signOut', { headers: signedIn() }),
  ),
  rejected('OPTIONS on /trpc', 415, () => send('OPTIONS', '/trpc/auth.signOut')),
  rejected('GET on the webhook', 405, () => send('GET', '/api/webhooks/recur')),
  rejected('PUT on the webhook', 405, () =>
    send('PUT', '/api/webhooks/recur', { body: '{}', headers: { 'x-recur-signature': 'x' } }),
  ),
  rejected('POST on a page', 405, () => postJson('/account', {})),

  // URLs
  {
    name: 'a 40 KB URL',
    expect: 'protocol',
    status: 431,
    send: () => send('GET', `/trpc/auth.me?input=${'a'.repeat(40_000)}`),
  },
  rejected('a 15 KB procedure path', 404, () => send('GET', `/trpc/${'a'.repeat(15_000)}`)),
  rejected('invalid percent-encoding in a procedure path', 400, () =>
    send('GET', '/trpc/auth.%E0%A4%A'),
  ),
  rejected('a lone percent sign in a procedure path', 400, () =>
    postJson('/trpc/auth.sign%zzIn', {}),
  ),
  rejected('invalid percent-encoding in an API path', 404, () => postJson('/api/%E0%A4%A', {})),
  rejected('invalid percent-encoding in a page path', 404, () => send('GET', '/%zz/%E0%A4%A')),
  rejected('a percent-encoded NUL in a procedure path', 404, () =>
    postJson('/trpc/auth.signIn%00', credentials),
  ),
  rejected('a dot-dot procedure path', 404, () => send('GET', '/trpc/..%2F..%2Fpackage.json')),

  // Other content types from the same origin
  rejected('multipart/form-data with junk', 400, () =>
    post('/trpc/auth.signUp', '--xx\r\njunk\r\n--yy', {
      'content-type': 'multipart/form-data; boundary=xx',
    }),
  ),
  rejected('multipart/form-data without a boundary', 400, () =>
    post('/trpc/auth.signIn', 'junk', { 'content-type': 'multipart/form-data' }),
  ),
  rejected('well-formed multipart/form-data with credentials', 400, () =>
    post(
      '/trpc/auth.signUp',
      [
        '--b',
        'Content-Disposition: form-data; name="email"',
        '',
        'multipart@example.com',
        '--b',
        'Content-Disposition: form-data; name="password"',
        '',
        PASSWORD,
        '--b--',
        '',
      ].join('\r\n'),
      { 'content-type': 'multipart/form-data; boundary=b' },
    ),
  ),
  rejected('text/plain', 415, () =>
    post('/trpc/auth.signUp', JSON.stringify(credentials), { 'content-type': 'text/plain' }),
  ),
  rejected('application/x-www-form-urlencoded', 415, () =>
    post('/trpc/auth.signUp', 'email=form%40example.com&password=12345678', {
      'content-type': 'application/x-www-form-urlencoded',
    }),
  ),

  // Webhooks
  rejected('an unsigned webhook with malformed JSON', 401, () =>
    send('POST', '/api/webhooks/recur', { body: '{"id":' }),
  ),
  rejected('a webhook with a forged signature', 401, () =>
    send('POST', '/api/webhooks/recur', {
      body: '{}',
      headers: { 'x-recur-signature': `${'A'.repeat(43)}=` },
    }),
  ),
  rejected('a signed webhook with malformed JSON', 400, () =>
    send('POST', '/api/webhooks/recur', {
      body: '{"id":',
      headers: { 'x-recur-signature': signWebhook('{"id":') },
    }),
  ),
  rejected('a signed webhook made of __proto__ keys', 400, () => {
    const body = '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}';
    return send('POST', '/api/webhooks/recur', {
      body,
      headers: { 'x-recur-signature': signWebhook(body) },
    });
  }),
  rejected('a signed webhook with CRLF in its id', 400, () => {
    const body = JSON.stringify({
      id: `evt_${CRLF_COOKIE}`,
      type: `checkout.completed${CRLF_COOKIE}`,
      timestamp: 'now',
      data: null,
    });
    return send('POST', '/api/webhooks/recur', {
      body,
      headers: { 'x-recur-signature': signWebhook(body) },
    });
  }),
];

// Checks -------------------------------------------------------------------------------------

function expectNoInjectedHeader(reply: Reply) {
  for (let i = 0; i < reply.rawHeaders.length; i += 2) {
    const name = (reply.rawHeaders[i] ?? '').toLowerCase();
    const value = reply.rawHeaders[i + 1] ?? '';
    expect(name).not.toBe('x-injected');
    if (name === 'set-cookie') expect(value).toMatch(/^session=[a-z0-9]*;/);
    expect(value).not.toMatch(/[\r\n]/);
  }
}

async function expectStillServing() {
  const health = await rawRequest(app.url, { path: '/healthz', agent });
  expect(health.status).toBe(200);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.prototype).not.toHaveProperty('customerId');
}

describe('hostile requests', () => {
  it('has a sizeable list of cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.each(cases)('$name', async (testCase) => {
    const before = await stateOf(database.db);
    const reply = await testCase.send();

    expect(reply.status).toBeLessThan(500);
    expect(findLeak(reply.text), reply.text.slice(0, 500)).toBeNull();
    expectNoInjectedHeader(reply);

    if (testCase.expect === 'rejected') {
      expect(reply.status, reply.text.slice(0, 300)).toBe(testCase.status);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      const messages = errorMessages(parseJson(reply.text));
      expect(messages.length).toBeGreaterThan(0);
      for (const message of messages) {
        expect(message).toMatch(/^[A-Z"].{5,}/);
        expect(message).not.toMatch(/^[A-Z_]+$/);
      }
    } else if (testCase.expect === 'signedOut') {
      expect(reply.status).toBe(200);
      expect(parseJson(reply.text)).toEqual({ result: { data: null } });
      const setCookie = [reply.headers['set-cookie'] ?? []].flat();
      expect(setCookie).toEqual([expect.stringMatching(/^session=;.*Max-Age=0/i)]);
    } else {
      // Refused by Node's HTTP parser; the server's clientError handler still answers in JSON.
      expect(reply.status).toBe(testCase.status);
      expect(reply.headers['content-type']).toMatch(/^application\/json/);
      expect(parseJson(reply.text)).toMatchObject({
        error: { code: 'malformed_request', message: expect.stringMatching(/^[A-Z].{5,}\.$/) },
      });
    }

    expect(await stateOf(database.db)).toEqual(before);
    await expectStillServing();
  });

  it('still knows the real session after all of that', async () => {
    const me = await rawRequest(app.url, {
      path: '/trpc/auth.me',
      headers: { cookie: sessionCookie },
      agent,
    });
    expect(me.status).toBe(200);
    expect((parseJson(me.text) as { result: { data: { email: string } } }).result.data.email).toBe(
      'hostile-victim@example.com',
    );
  });

  it('answers a batch of exactly 20 calls (the cap is not lower than documented)', async () => {
    const reply = await send('GET', `/trpc/${batchOf('auth.me', 20)}?batch=1`);
    expect(reply.status).toBe(200);
    expect(parseJson(reply.text)).toHaveLength(20);
  });
});

describe('cookies the app did not set', () => {
  it('keeps the session when another cookie on the host has broken percent-encoding', async () => {
    const reply = await rawRequest(app.url, {
      path: '/trpc/auth.me',
      headers: { cookie: `theme=100%; utm=%E0%A4%A; ${sessionCookie}; x=%zz` },
      agent,
    });
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('hostile-victim@example.com');
    expect(reply.headers['set-cookie']).toBeUndefined();
  });

  it('answers signed out, without clearing anything, for foreign cookies alone', async () => {
    const reply = await rawRequest(app.url, {
      path: '/trpc/auth.me',
      headers: { cookie: 'theme=100%; other=%00%F0' },
      agent,
    });
    expect(reply.status).toBe(200);
    expect(parseJson(reply.text)).toEqual({ result: { data: null } });
    expect(reply.headers['set-cookie']).toBeUndefined();
  });
});
