// Child processes for the bench: each runs in its own process group (so `tsx` and the node process
// it spawns die together), logs to a file, and is killed on the way out whatever happens.
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(import.meta.dirname, '..');
const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

export interface Child {
  name: string;
  /** The pid of the `tsx` launcher (also the process group id). */
  pid: number;
  /** When spawn() was called, in performance.now() milliseconds. */
  startedAt: number;
  /** The node process that runs the script (tsx starts it as its own child). */
  scriptPid(): number;
  logTail(lines?: number): string;
  exited(): boolean;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<Child>();
const tempDirs = new Set<string>();

/** Starts `node <script>` (a .js file) or `tsx <script>` from the repo root with the given environment. */
export function spawnTsx(
  name: string,
  script: string,
  env: Record<string, string>,
  logDir: string,
  /** Options for node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs: string[] = [],
): Child {
  const logPath = join(logDir, `${name}.log`);
  const fd = openSync(logPath, 'a');
  const startedAt = performance.now();
  const args = [
    ...nodeArgs,
    ...(script.endsWith('.js') ? ['--enable-source-maps', script] : [TSX_CLI, script]),
  ];
  const proc: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  closeSync(fd);
  const pid = proc.pid;
  if (pid === undefined) throw new Error(`could not start ${name}`);
  let exitCode: number | null | undefined;
  const exit = new Promise<void>((done) =>
    proc.once('exit', (code) => {
      exitCode = code;
      done();
    }),
  );

  const child: Child = {
    name,
    pid,
    startedAt,
    scriptPid: () => findScriptPid(pid),
    logTail: (lines = 20) => {
      try {
        return readFileSync(logPath, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
      } catch {
        return '';
      }
    },
    exited: () => exitCode !== undefined,
    stop: async (graceMs = 5_000) => {
      running.delete(child);
      if (exitCode !== undefined) return;
      killGroup(pid, 'SIGTERM');
      const killed = await Promise.race([exit.then(() => true), sleep(graceMs, false)]);
      if (!killed) {
        killGroup(pid, 'SIGKILL');
        await Promise.race([exit, sleep(2_000)]);
      }
      // The launcher may have exited first; make sure nothing of the group lingers.
      killGroup(pid, 'SIGKILL');
    },
  };
  running.add(child);
  return child;
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * The node process `tsx` starts for the script: the launcher's only child. (Not the deepest
 * descendant: the script may start children of its own, such as esbuild's service.)
 */
function findScriptPid(launcherPid: number): number {
  return childrenOf(launcherPid)[0] ?? launcherPid;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((entry) => {
        try {
          const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
        } catch {
          return false;
        }
      })
      .map(Number);
  }
}

/** Polls `url` until it answers `status`; rejects after `timeoutMs` or if the child exits. */
export async function waitForHttp(
  url: string,
  options: { timeoutMs: number; child?: Child; status?: number; intervalMs?: number },
): Promise<number> {
  const deadline = performance.now() + options.timeoutMs;
  const wanted = options.status ?? 200;
  while (performance.now() < deadline) {
    if (options.child?.exited()) {
      throw new Error(`${options.child.name} exited early:\n${options.child.logTail()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.status === wanted) return performance.now();
    } catch {
      // Not listening yet.
    }
    await sleep(options.intervalMs ?? 20);
  }
  const tail = options.child ? `\n${options.child.logTail()}` : '';
  throw new Error(`${url} did not answer ${wanted} within ${options.timeoutMs} ms${tail}`);
}

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Stops every child still running and removes every temp dir. Safe to call twice. */
export async function cleanupAll(): Promise<void> {
  await Promise.all([...running].map((child) => child.stop(3_000)));
  for (const dir of tempDirs) removeTempDir(dir);
}

/**
 * Runs `main`, then always cleans up: on success, on a thrown error, on Ctrl-C or SIGTERM, and
 * after `timeoutMs` (a bench that hangs is killed rather than left running).
 */
export async function runWithCleanup(main: () => Promise<void>, timeoutMs: number): Promise<void> {
  let finished = false;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping children…`);
    void cleanupAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    // Last resort (synchronous): kill whatever is left.
    for (const child of running) killGroup(child.pid, 'SIGKILL');
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  const watchdog = setTimeout(() => {
    if (finished) return;
    console.error(`\nTimed out after ${timeoutMs / 1000} s: stopping children…`);
    void cleanupAll().finally(() => process.exit(124));
  }, timeoutMs);
  watchdog.unref();
  try {
    await main();
  } catch (error) {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exitCode = 1;
  } finally {
    finished = true;
    clearTimeout(watchdog);
    await cleanupAll();
  }
}
