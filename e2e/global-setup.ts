// Starts what the browser tests talk to, once per run:
//   1. builds the client (Vite) into a temporary dist/client,
//   2. the Recur emulator as its own process (tsx emulator/cli.ts),
//   3. the production server as its own process (tsx server/main.ts), on a temporary PGlite
//      database (or on E2E_DATABASE_URL), using the emulator as "Recur".
// Readiness: each prints a "… ready at" line (emulator/cli.ts, server/main.ts), then answers its
// health check. Logs go to e2e/artifacts/; a failing test also leaves a screenshot there.
// Both processes run in their own process group and are killed at the end; temp dirs removed.
//
// The server runs with its working directory in the temp dir, so it serves this run's build
// (server/main.ts serves ./dist/client) and ignores a developer's .env; nothing in the checkout
// (dist/, .data/) is touched.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
export const OUTPUT_DIR = join(ROOT, 'e2e/artifacts');
const START_TIMEOUT_MS = 90_000;

export interface E2eContext {
  appUrl: string;
  emulatorUrl: string;
  adminToken: string;
  chromiumPath: string;
  /** '' on a fresh database; a random tag when E2E_DATABASE_URL may hold earlier runs' users. */
  runTag: string;
  outputDir: string;
  screenshotDir: string;
  timezone: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by e2e/vitest.config.ts, which exits before any of this when there is no browser. */
    chromiumPath: string;
    e2e: E2eContext;
  }
}

// Variables the app or the emulator read: never inherited from the shell running the tests.
const APP_VARIABLES =
  /^(NODE_ENV|PORT|HOST|APP_URL|DATABASE_URL|PGLITE_DATA_DIR|RECUR_.*|RATE_LIMIT_SCALE|TRUST_PROXY|SMTP_URL|MAIL_.*)$/;

function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!APP_VARIABLES.test(key)) env[key] = value;
  }
  return env;
}

/** Distinct free ports: every probe stays open until all have one. */
async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  const ports = await Promise.all(
    servers.map(
      (server) =>
        new Promise<number>((resolve, reject) => {
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            const address = server.address();
            resolve(typeof address === 'object' && address ? address.port : 0);
          });
        }),
    ),
  );
  await Promise.all(
    servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
  return ports;
}

interface Managed {
  name: string;
  child: ChildProcess;
  log: WriteStream;
  exited: Promise<void>;
  output: () => string;
}

const running: Managed[] = [];

// Last resort (an interrupted run): no orphaned server or emulator.
process.once('exit', () => {
  for (const managed of running) killGroup(managed.child, 'SIGKILL');
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/** Spawns `tsx <entry>` in its own process group; resolves once `ready` appears on stdout. */
function start(
  name: string,
  entry: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; ready: RegExp },
): Promise<Managed> {
  const child = spawn(TSX, ['--tsconfig', join(ROOT, 'tsconfig.json'), join(ROOT, entry)], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(join(OUTPUT_DIR, `${name}.log`));
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const managed: Managed = { name, child, log, exited, output: () => output };
  running.push(managed);

  return new Promise<Managed>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      reject(
        new Error(`${name} did not start: ${why}\n--- last output ---\n${output.slice(-4000)}`),
      );
    };
    const timer = setTimeout(
      () => fail(`no "${options.ready.source}" within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      if (output.length > 200_000) output = output.slice(-100_000);
      log.write(text);
      if (options.ready.test(output)) {
        clearTimeout(timer);
        resolve(managed);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code, signal) => fail(`exited early (${signal ?? `code ${code}`})`));
  });
}

async function stop(managed: Managed): Promise<void> {
  killGroup(managed.child, 'SIGTERM');
  const force = setTimeout(() => killGroup(managed.child, 'SIGKILL'), 10_000);
  await managed.exited;
  clearTimeout(force);
  await new Promise<void>((resolve) => managed.log.end(() => resolve()));
}

async function expectHealthy(url: string, name: string, managed: Managed): Promise<void> {
  const response = await fetch(url).catch((error: unknown) => error as Error);
  if (response instanceof Error || !response.ok) {
    const why = response instanceof Error ? response.message : `HTTP ${response.status}`;
    throw new Error(`${name} is not healthy at ${url}: ${why}\n${managed.output().slice(-4000)}`);
  }
}

export default async function setup(project: TestProject) {
  const { chromiumPath } = project.getProvidedContext();

  rmSync(join(OUTPUT_DIR, 'failures'), { recursive: true, force: true });
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const tmp = mkdtempSync(join(tmpdir(), 'recur-e2e-'));
  const cleanup = async () => {
    for (const managed of running.splice(0).reverse()) await stop(managed);
    rmSync(tmp, { recursive: true, force: true });
  };

  try {
    const { build } = await import('vite');
    await build({
      configFile: join(ROOT, 'vite.config.ts'),
      root: join(ROOT, 'client'),
      // Errors only: the client's chunk-size advice is for `npm run build`, not for this run.
      logLevel: 'error',
      build: { outDir: join(tmp, 'dist/client'), emptyOutDir: true },
    });

    const [appPort, emulatorPort] = await freePorts(2);
    const appUrl = `http://127.0.0.1:${appPort}`;
    const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
    const adminToken = `e2e_admin_${randomBytes(12).toString('hex')}`;
    const webhookSecret = `whsec_e2e_${randomBytes(16).toString('hex')}`;
    const recurKey = `sk_test_e2e_${randomBytes(16).toString('hex')}`;
    const externalDb = process.env.E2E_DATABASE_URL;

    const emulator = await start('emulator', 'emulator/cli.ts', {
      cwd: tmp,
      env: {
        ...baseEnv(),
        RECUR_EMULATOR_PORT: String(emulatorPort),
        RECUR_EMULATOR_ADMIN_TOKEN: adminToken,
        RECUR_EMULATOR_SECRET_KEYS: recurKey,
        RECUR_WEBHOOK_SECRET: webhookSecret,
        RECUR_EMULATOR_WEBHOOK_URL: `${appUrl}/api/webhooks/recur`,
      },
      ready: /Recur emulator ready at/,
    });
    await expectHealthy(`${emulatorUrl}/_emulator/health`, 'emulator', emulator);

    const server = await start('server', 'server/main.ts', {
      cwd: tmp,
      env: {
        ...baseEnv(),
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: String(appPort),
        APP_URL: appUrl,
        ...(externalDb ? { DATABASE_URL: externalDb } : { PGLITE_DATA_DIR: join(tmp, 'pglite') }),
        RECUR_SECRET_KEY: recurKey,
        RECUR_API_URL: emulatorUrl,
        RECUR_WEBHOOK_SECRET: webhookSecret,
        // No SMTP_URL: mail goes to the app's dev mailbox (/dev/mailbox, APP_URL is loopback),
        // where the tests read it as a developer would.
        // Production limits. Each browser sends its own X-Forwarded-For (e2e/support/browser.ts),
        // so per-IP limits count one browser each; E2E_RATE_LIMIT_SCALE raises them all.
        TRUST_PROXY: 'true',
        ...(process.env.E2E_RATE_LIMIT_SCALE
          ? { RATE_LIMIT_SCALE: process.env.E2E_RATE_LIMIT_SCALE }
          : {}),
      },
      ready: /App ready at/,
    });
    await expectHealthy(`${appUrl}/healthz`, 'server', server);

    project.provide('e2e', {
      appUrl,
      emulatorUrl,
      adminToken,
      chromiumPath,
      runTag: externalDb ? randomBytes(4).toString('hex') : '',
      outputDir: OUTPUT_DIR,
      screenshotDir: join(ROOT, 'docs/screenshots'),
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    });
  } catch (error) {
    await cleanup();
    throw error;
  }

  return cleanup;
}
