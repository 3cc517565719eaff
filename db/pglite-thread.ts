// The app's side of the embedded database's thread (db/pglite-worker.ts). It starts the worker and
// hands Drizzle's PGlite driver a client with PGlite's own `query()` and `transaction()`, which
// forward each statement to the worker and bring back its rows or its error.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  PgliteRequest,
  PgliteResponse,
  PgliteStartup,
  PgliteWorkerData,
  QueryResult,
  SerialisedError,
} from './pglite-messages';

/** An error from the embedded database, with the fields Postgres gave it (`code`, `detail`, …). */
export class EmbeddedDatabaseError extends Error {
  code?: string;

  constructor({ name, message, fields }: SerialisedError) {
    super(message);
    Object.assign(this, fields);
    this.name = name;
  }
}

/** What Drizzle's PGlite driver calls on its client: a subset of PGlite's own interface. */
export interface PgliteClient {
  query(
    sql: string,
    params?: unknown[],
    options?: { rowMode?: 'array' | 'object'; parsers?: Record<number, unknown> },
  ): Promise<QueryResult>;
  transaction<T>(callback: (tx: Pick<PgliteClient, 'query'>) => Promise<T>): Promise<T>;
}

export interface PgliteThread {
  client: PgliteClient;
  /** The thread itself (tests end it to see a crash handled). */
  worker: Worker;
  /** The whole data directory as a tarball. */
  dump(): Promise<Blob>;
  ping(): Promise<void>;
  /** Lets queued statements finish, closes the database and ends the thread. */
  close(): Promise<void>;
}

/** A request before it is numbered. */
type Unnumbered<R> = R extends unknown ? Omit<R, 'id'> : never;

const CLOSE_TIMEOUT_MS = 10_000;

/**
 * A migrated, empty database that the production build makes (scripts/build-server.ts), beside
 * this module there. A new data directory starts as a copy of it: a file copy instead of initdb
 * and every migration at the first start. The TypeScript sources have none.
 */
export const PGLITE_TEMPLATE_DIR = fileURLToPath(new URL('./pglite-template', import.meta.url));

/**
 * Opens `dataDir` (or `memory://`) in a worker thread. A directory with no database yet starts as
 * a copy of the build's template, or else is created (initdb) in a thread of its own that ends
 * afterwards: initdb takes the WebAssembly heap to about 800 MB, which a thread that lives on
 * would keep.
 */
export async function openPgliteThread(options: {
  dataDir: string;
  loadDataDir?: Blob | undefined;
  /** Where a new data directory is copied from, when it holds a database. */
  template?: string;
}): Promise<PgliteThread> {
  const { dataDir, loadDataDir, template = PGLITE_TEMPLATE_DIR } = options;
  if (!dataDir.startsWith('memory://') && !isDatabaseDir(dataDir)) {
    if (isDatabaseDir(template)) copyTemplate(template, dataDir);
    else await initialise(dataDir);
  }
  const worker = startWorker({ dataDir, mode: 'serve', ...(loadDataDir ? { loadDataDir } : {}) });
  try {
    await started(worker);
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  return connect(worker);
}

function isDatabaseDir(dir: string): boolean {
  return existsSync(join(dir, 'PG_VERSION'));
}

async function initialise(dataDir: string): Promise<void> {
  const initdb = startWorker({ dataDir, mode: 'initdb' });
  try {
    await started(initdb);
  } finally {
    await initdb.terminate();
  }
}

/**
 * Copies the template, PG_VERSION last: a copy cut short is not taken for a database next time.
 * (copyFileSync lets the kernel copy: much faster than `fs.cpSync` on a thousand files.)
 */
function copyTemplate(template: string, dataDir: string): void {
  const copy = (from: string, to: string) => {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true })) {
      if (from === template && entry.name === 'PG_VERSION') continue;
      if (entry.isDirectory()) copy(join(from, entry.name), join(to, entry.name));
      else copyFileSync(join(from, entry.name), join(to, entry.name));
    }
  };
  copy(template, dataDir);
  copyFileSync(join(template, 'PG_VERSION'), join(dataDir, 'PG_VERSION'));
}

function startWorker(data: PgliteWorkerData): Worker {
  // The production build runs the bundled worker beside this file; the TypeScript sources run it
  // through tsx (see pglite-worker-tsx.mjs).
  const entry = import.meta.url.endsWith('.ts') ? './pglite-worker-tsx.mjs' : './pglite-worker.js';
  return new Worker(new URL(entry, import.meta.url), { workerData: data });
}

/** Resolves when the worker has opened the database; rejects with why it could not. */
function started(worker: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: Error) => {
      worker.off('message', onMessage).off('error', settle).off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    const onMessage = (message: PgliteStartup) =>
      settle(message.kind === 'ready' ? undefined : new EmbeddedDatabaseError(message.error));
    const onExit = (code: number) =>
      settle(new Error(`The embedded database's thread exited (code ${code}) while opening`));
    worker.on('message', onMessage).on('error', settle).on('exit', onExit);
  });
}

function connect(worker: Worker): PgliteThread {
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let nextId = 1;
  /** Set once the thread is closing or gone: new work fails with it. */
  let unavailable: Error | undefined;
  /** Set once the thread is gone: everything fails with it. */
  let gone: Error | undefined;
  let crashReason = '';
  let closing: Promise<void> | undefined;

  const failAll = (error: Error) => {
    unavailable ??= error;
    gone ??= error;
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };

  worker.on('message', (message: PgliteResponse) => {
    const waiting = pending.get(message.id);
    if (!waiting) return;
    pending.delete(message.id);
    // An idle thread does not keep the process alive; one with work in flight does.
    if (pending.size === 0) worker.unref();
    if (message.ok) waiting.resolve(message.value);
    else waiting.reject(new EmbeddedDatabaseError(message.error));
  });
  worker.on('error', (error) => {
    crashReason = error.message;
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('exit', (code) => {
    if (closing) return failAll(new Error('PGlite is closed'));
    // 08006 (connection_failure): what a Postgres client sees when its server goes away, so the
    // app answers "unavailable, try again" (server/database-errors.ts) instead of hanging.
    failAll(
      new EmbeddedDatabaseError({
        name: 'EmbeddedDatabaseError',
        message: `The embedded database stopped unexpectedly (thread exit code ${code}${crashReason ? `: ${crashReason}` : ''})`,
        fields: { code: '08006' },
      }),
    );
  });
  worker.unref();

  const request = <T>(message: Unnumbered<PgliteRequest>): Promise<T> => {
    // While closing, a transaction already open may still finish: close() waits for it.
    const partOfOpenTransaction = 'transaction' in message && message.transaction !== null;
    const refusal = partOfOpenTransaction ? gone : unavailable;
    if (refusal) return Promise.reject(refusal);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (pending.size === 1) worker.ref();
      try {
        worker.postMessage({ ...message, id });
      } catch (error) {
        // A parameter that cannot be copied to the thread (a function, say).
        pending.delete(id);
        if (pending.size === 0) worker.unref();
        reject(error as Error);
      }
    });
  };

  const query =
    (transaction: number | null): PgliteClient['query'] =>
    (sql, params = [], options = {}) =>
      request<QueryResult>({
        kind: 'query',
        sql,
        params,
        rowMode: options.rowMode ?? 'object',
        textTypes: Object.keys(options.parsers ?? {}).map(Number),
        transaction,
      });

  const client: PgliteClient = {
    query: query(null),
    // The same contract as PGlite's transaction(): commit when the callback returns, roll back
    // when it throws. Other statements wait in the worker until then.
    transaction: async (callback) => {
      const transaction = await request<number>({ kind: 'begin' });
      let result: Awaited<ReturnType<typeof callback>>;
      try {
        result = await callback({ query: query(transaction) });
      } catch (error) {
        await request({ kind: 'rollback', transaction }).catch(() => {});
        throw error;
      }
      await request({ kind: 'commit', transaction });
      return result;
    },
  };

  return {
    client,
    worker,
    dump: () => request<Blob>({ kind: 'dump' }),
    ping: async () => {
      await client.query('select 1');
    },
    close: () => {
      closing ??= (async () => {
        // Statements already sent, and an open transaction, finish first: the worker closes
        // PGlite behind them. A worker that does not end in time is stopped.
        const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
        const closed = request({ kind: 'close' }).catch(() => {});
        unavailable ??= new Error('PGlite is closed');
        await closed;
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
