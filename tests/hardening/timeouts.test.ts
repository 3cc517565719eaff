/**
 * Slow and greedy clients: a body trickled one byte at a time is cut off after the configured
 * request timeout, and connections past the configured cap are not taken. Short timeouts here;
 * the only time asserted is an upper bound ("closed before N").
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/create-db';
import type { RunningApp } from '../../server/app';
import { startTestApp, testConfig } from '../support/test-app';
import { createTestDatabase } from '../support/test-database';

let database: Database;
let app: RunningApp;
const REQUEST_TIMEOUT_MS = 600;

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startTestApp(database, {
    env: {
      HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_HEADERS_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '400',
      HTTP_MAX_CONNECTIONS: '3',
    },
  });
});
afterAll(async () => {
  await app?.close();
  await database?.close();
});

function open(): Promise<Socket> {
  const url = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname, () => resolve(socket));
    socket.on('error', reject);
  });
}

/** Resolves with what the server sent once it closes the socket, or null after `withinMs`. */
function closedWithin(socket: Socket, withinMs: number): Promise<string | null> {
  return new Promise((resolve) => {
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString();
    });
    const timer = setTimeout(() => resolve(null), withinMs);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
  });
}

describe('timeouts and limits', () => {
  it('reads the four settings from the environment, with defaults', () => {
    expect(app.server.requestTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(app.server.headersTimeout).toBe(REQUEST_TIMEOUT_MS);
    expect(app.server.keepAliveTimeout).toBe(400);
    expect(app.server.maxConnections).toBe(3);
    expect(testConfig().http).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 15_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_000,
    });
  });

  it('cuts off a body trickled one byte every 200 ms after the request timeout', async () => {
    const socket = await open();
    const body = JSON.stringify({ email: 'slow@example.com', password: 'a fine password' });
    socket.write(
      `POST /trpc/auth.signIn HTTP/1.1\r\nHost: ${new URL(app.url).host}\r\nOrigin: ${app.url}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    let sent = 0;
    const trickle = setInterval(() => {
      if (!socket.destroyed && sent < body.length) socket.write(body[sent++] ?? '');
    }, 200);
    try {
      // 60 bytes at 200 ms would take 12 s; the server must close well before.
      const answer = await closedWithin(socket, 8_000);
      expect(answer, 'the socket was still open after 8 s').not.toBeNull();
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(sent).toBeLessThan(body.length);
    } finally {
      clearInterval(trickle);
      socket.destroy();
    }
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const socket = await open();
    socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    // 400 ms configured; Node's default of 5 s would keep it past this bound.
    const answer = await closedWithin(socket, 3_000);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
  });

  it('takes no connection past the cap', async () => {
    const held = await Promise.all([open(), open(), open()]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const extra = await open();
      const answer = await closedWithin(extra, 8_000);
      expect(answer, 'the connection past the cap was kept').toBe('');
      extra.destroy();
    } finally {
      for (const socket of held) socket.destroy();
    }
  });
});
