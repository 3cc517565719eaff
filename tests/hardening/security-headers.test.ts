/**
 * Response headers of the real server with the static client handler: a strict CSP and friends on
 * HTML, no-store on every API answer, long-lived caching only for hashed assets, the history
 * fallback, and no file outside the client directory whatever the path says.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import { precompress } from '../../scripts/precompress';
import { type RunningApp, startApp } from '../../server/app';
import { MAX_BODY_BYTES } from '../../server/http/create-request-handler';
import { createStaticHandler } from '../../server/http/static-files';
import { testConfig } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';
import { type Reply, rawRequest } from './support';

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/app.js"></script></head><body><div id="root"></div></body></html>';
// Large enough to be worth compressing (the build compresses files of 1 KB and more).
const APP_JS = `${'console.log("app");\n'.repeat(100)}`;
const SECRET = 'SECRET-OUTSIDE-THE-CLIENT-DIRECTORY';

let root: string;
let database: Database;
let app: RunningApp;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  // root/ holds files that must never be served; root/client/ is the built SPA.
  root = mkdtempSync(join(tmpdir(), 'hardening-static-'));
  const client = join(root, 'client');
  mkdirSync(join(client, 'assets'), { recursive: true });
  writeFileSync(join(client, 'index.html'), INDEX_HTML);
  writeFileSync(join(client, 'assets', 'app.js'), APP_JS);
  writeFileSync(join(client, 'robots.txt'), 'User-agent: *\n');
  writeFileSync(join(root, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: SECRET }));
  mkdirSync(join(root, 'client-evil'));
  writeFileSync(join(root, 'client-evil', 'index.html'), SECRET);
  precompress(client);

  database = await createTestDatabase();
  app = await startApp({
    config: testConfig(),
    database,
    log: () => {},
    serveClient: createStaticHandler(client),
  });
  // Listed once at start: a file that appears later is not looked for on disk.
  writeFileSync(join(client, 'assets', 'late.js'), APP_JS);
});
afterAll(async () => {
  agent.destroy();
  await app?.close();
  await database?.close();
  rmSync(root, { recursive: true, force: true });
});

const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  rawRequest(app.url, { method, path, headers, agent });
const post = (path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  rawRequest(app.url, {
    method: 'POST',
    path,
    body,
    headers: { origin: app.url, 'content-type': 'application/json', ...headers },
    agent,
  });

/** A GET whose body is kept as bytes (compressed answers are not text). */
function getBytes(path: string, headers: Record<string, string>) {
  const url = new URL(app.url);
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, path, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

/** The CSP as a map of directive → sources. */
function cspOf(reply: Reply): Map<string, string[]> {
  const header = reply.headers['content-security-policy'];
  expect(typeof header).toBe('string');
  return new Map(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name = '', ...sources]) => [name.toLowerCase(), sources]),
  );
}

/** What helmet's defaults add to every answer (CSP and X-Frame-Options are set more strictly). */
function expectHelmetHeaders(reply: Reply) {
  expect(reply.headers['cross-origin-opener-policy']).toBe('same-origin');
  expect(reply.headers['cross-origin-resource-policy']).toBe('same-origin');
  expect(reply.headers['origin-agent-cluster']).toBe('?1');
  expect(reply.headers['x-dns-prefetch-control']).toBe('off');
  expect(reply.headers['x-download-options']).toBe('noopen');
  expect(reply.headers['x-permitted-cross-domain-policies']).toBe('none');
  expect(reply.headers['x-xss-protection']).toBe('0');
  expect(reply.headers['x-frame-options']).toBe('DENY');
  // Served over plain http here: HSTS only when APP_URL is https (server/http/http-server.test.ts).
  expect(reply.headers['strict-transport-security']).toBeUndefined();
}

function expectHtmlHeaders(reply: Reply) {
  expectHelmetHeaders(reply);
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toMatch(/^text\/html/);
  expect(reply.headers['x-content-type-options']).toBe('nosniff');
  expect(reply.headers['referrer-policy']).toMatch(
    /^(no-referrer|same-origin|strict-origin|strict-origin-when-cross-origin)$/,
  );
  expect(reply.headers['cache-control']).toBe('no-cache');

  const csp = cspOf(reply);
  expect(csp.get('default-src')).toEqual(["'self'"]);
  expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
  // Self only: no other origin, scheme or inline code anywhere; images may also be data: URLs.
  for (const [directive, sources] of csp) {
    expect(sources.length, directive).toBeGreaterThan(0);
    for (const source of sources) {
      const allowed =
        directive === 'img-src' ? ["'self'", "'none'", 'data:'] : ["'self'", "'none'"];
      expect(allowed, `${directive} ${source}`).toContain(source);
    }
  }
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
  expect(scriptSrc).toEqual(["'self'"]);
  expect(csp.get('object-src')).toEqual(["'none'"]);
  expect(csp.get('base-uri')).toEqual(["'none'"]);
}

describe('HTML responses', () => {
  it('carry a self-only CSP with frame-ancestors none, nosniff and a Referrer-Policy', async () => {
    const reply = await get('/');
    expectHtmlHeaders(reply);
    expect(reply.text).toBe(INDEX_HTML);
    expect(reply.headers['x-frame-options']).toBe('DENY');
  });

  it.each([
    '/account',
    '/pricing',
    '/sign-in?next=%2Faccount',
    '/account/deeply/nested/route',
    '/index.html',
  ])('fall back to index.html with the same headers for GET %s', async (path) => {
    const reply = await get(path);
    expectHtmlHeaders(reply);
    expect(reply.text).toBe(INDEX_HTML);
  });

  it('answer HEAD /account with the headers and no body', async () => {
    const reply = await get('/account', {}, 'HEAD');
    expectHtmlHeaders(reply);
    expect(reply.text).toBe('');
    expect(Number(reply.headers['content-length'])).toBe(Buffer.byteLength(INDEX_HTML));
  });
});

describe('static files', () => {
  it('serves hashed assets with long-lived, immutable caching', async () => {
    const reply = await get('/assets/app.js');
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(APP_JS);
    expect(reply.headers['content-type']).toMatch(/^text\/javascript/);
    expect(reply.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expectHelmetHeaders(reply);
  });

  it('answers a missing asset (another build, after a deploy) with 404, not the SPA', async () => {
    const reply = await get('/assets/app-OLDHASH.js');
    expect(reply.status).toBe(404);
    expect(reply.text).not.toContain('<html');
    expect(reply.headers['cache-control']).toBe('no-store');
  });

  it('sends the brotli or gzip file the build made, as Accept-Encoding asks, with Vary', async () => {
    const br = await getBytes('/assets/app.js', { 'accept-encoding': 'gzip, deflate, br, zstd' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['content-type']).toMatch(/^text\/javascript/);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(APP_JS.length / 5);
    expect(brotliDecompressSync(br.body).toString()).toBe(APP_JS);

    const gzip = await getBytes('/assets/app.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).toString()).toBe(APP_JS);

    const plain = await getBytes('/assets/app.js', {});
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(APP_JS);
  });

  it.each(['/', '/account'])(
    'gives index.html an ETag and answers 304 to it (%s)',
    async (path) => {
      const first = await get(path);
      const etag = first.headers.etag;
      expect(etag).toMatch(/^(W\/)?".+"$/);
      const again = await get(path, { 'if-none-match': String(etag) });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
    },
  );

  it('does not look on disk for files added after start', async () => {
    const reply = await get('/assets/late.js');
    expect(reply.status).toBe(404);
  });

  it('revalidates files outside /assets/ (no-cache)', async () => {
    const reply = await get('/robots.txt');
    expect(reply.status).toBe(200);
    expect(reply.headers['cache-control']).toBe('no-cache');
    expect(reply.headers['content-type']).toMatch(/^text\/plain/);
  });

  it.each([
    '/../package.json',
    '/%2e%2e/package.json',
    '/%2E%2E/%2e%2e/package.json',
    '/assets/../../package.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/..%2fpackage.json',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    '/assets/%252e%252e/%252e%252e/secret.txt',
    '/..%5csecret.txt',
    '/..\\secret.txt',
    '/%2e%2e%5csecret.txt',
    '/../client-evil/index.html',
    '/%2e%2e/client-evil/index.html',
    '/..%2fclient-evil%2findex.html',
    '//etc/passwd',
    '/..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    '/assets/app.js%00.html',
    '/%00',
    '/%E0%A4%A',
    '/assets/%zz',
  ])('never serves a file outside the client directory for %s', async (path) => {
    const reply = await get(path);
    expect(reply.status).toBeLessThan(500);
    expect(reply.text).not.toContain(SECRET);
    expect(reply.text).not.toMatch(/root:.*:0:0:/);
    expect(reply.text).not.toContain('recur-trpc-saas-starter');
    if (reply.status === 200) {
      expect(reply.text).toBe(INDEX_HTML);
      expectHtmlHeaders(reply);
    }
    const health = await get('/healthz');
    expect(health.status).toBe(200);
  });

  it('does not serve the SPA for API paths', async () => {
    for (const path of ['/api/anything', '/trpc', '/trpc/nothing']) {
      const reply = await get(path);
      expect(reply.status, path).toBe(404);
      expect(reply.headers['content-type'], path).toMatch(/^application\/json/);
    }
  });
});

describe('API responses are never stored', () => {
  const cases: [string, () => Promise<Reply>][] = [
    ['GET /trpc/auth.me', () => get('/trpc/auth.me')],
    ['GET /trpc/billing.plans', () => get('/trpc/billing.plans')],
    ['GET /trpc/auth.me,billing.plans?batch=1', () => get('/trpc/auth.me,billing.plans?batch=1')],
    ['POST /trpc/auth.signIn with bad input', () => post('/trpc/auth.signIn', '{}')],
    [
      'POST /trpc/auth.signIn cross-site',
      () => post('/trpc/auth.signIn', '{}', { origin: 'https://evil.example' }),
    ],
    ['GET /trpc/nothing (unknown procedure)', () => get('/trpc/nothing')],
    ['GET a batch over the cap', () => get(`/trpc/${Array(21).fill('auth.me').join(',')}?batch=1`)],
    [
      'POST /trpc over 1 MB',
      () => post('/trpc/auth.signIn', Buffer.alloc(MAX_BODY_BYTES + 1, 'a')),
    ],
    ['POST /api/webhooks/recur unsigned', () => post('/api/webhooks/recur', '{}')],
    ['GET /api/webhooks/recur', () => get('/api/webhooks/recur')],
    [
      'POST /api/webhooks/recur over 1 MB',
      () => post('/api/webhooks/recur', Buffer.alloc(MAX_BODY_BYTES + 1, 'a')),
    ],
    ['GET /api/nothing', () => get('/api/nothing')],
    ['GET /healthz', () => get('/healthz')],
    ['HEAD /healthz', () => get('/healthz', {}, 'HEAD')],
  ];

  it.each(cases)('%s: Cache-Control no-store, nosniff', async (_, send) => {
    const reply = await send();
    expect(reply.status).toBeLessThan(500);
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expectHelmetHeaders(reply);
  });
});
