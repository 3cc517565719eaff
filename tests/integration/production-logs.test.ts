// What an operator reads from a production server: one JSON object per line on stdout, a request
// id on each request's line (the one sent back as X-Request-Id), and no cookie or key in any line.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildServer, startChildServer } from '../support/child-server';

let dataDir: string;
let server: ChildServer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'production-logs-'));
  server = await startChildServer({ PGLITE_DATA_DIR: dataDir, LOG_FORMAT: '', LOG_LEVEL: '' });
}, 120_000);
afterAll(async () => {
  if (server.process.exitCode === null) {
    server.process.kill('SIGTERM');
    await server.exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('production logs', () => {
  it('are JSON lines with levels and request ids, and hold no cookie or key', async () => {
    const response = await fetch(new URL('/trpc/auth.me', server.url), {
      headers: { cookie: 'session=secretsessionid0123', authorization: 'Bearer sk_test_h1dden' },
    });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    server.process.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    const lines = server.output().trimEnd().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const entry of entries) {
      expect(entry).toMatchObject({ level: expect.any(String), time: expect.any(String) });
    }
    expect(entries.map((e) => e.msg)).toContainEqual(expect.stringMatching(/^App ready at /));
    expect(entries.find((e) => e.reqId === requestId)).toMatchObject({
      method: 'GET',
      path: '/trpc/auth.me',
      status: 200,
    });
    expect(server.output()).not.toMatch(/secretsessionid0123|h1dden/);
  });
});
