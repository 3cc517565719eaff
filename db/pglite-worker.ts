// The embedded database's own thread. PGlite runs Postgres as WebAssembly on the thread that calls
// it: here, so that a query never holds up the thread that parses HTTP requests. The app's side is
// db/pglite-thread.ts; the messages are in db/pglite-messages.ts.
//
// One database, one connection: statements run in the order they arrive. A transaction holds the
// connection from BEGIN until the app says commit or rollback; PGlite's own `transaction()` keeps
// every other statement waiting behind it, so none is run inside it by mistake.
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import {
  type PgliteRequest,
  type PgliteResponse,
  type PgliteStartup,
  type PgliteWorkerData,
  type QueryResult,
  serialiseError,
} from './pglite-messages';

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread (db/pglite-thread.ts)');
const port: MessagePort = parentPort;
const options = workerData as PgliteWorkerData;

interface OpenTransaction {
  tx: Transaction;
  /** Ends PGlite's `transaction()` callback: resolve to commit, reject to roll back. */
  end(commit: boolean, requestId: number): void;
}

/**
 * Postgres's buffer cache. PGlite's default, 128 MB, is written over in full at start, so it is
 * 128 MB of memory from the first second; an embedded database of this size is served as fast by
 * 32 MB (the operating system caches its files as well). Measured in docs/benchmarks.md.
 */
const SHARED_BUFFERS = '32MB';

const transactions = new Map<number, OpenTransaction>();
const ROLLBACK = Symbol('rollback');

function reply(message: PgliteResponse): void {
  port.postMessage(message);
}

function answer(id: number, work: Promise<unknown>): void {
  work.then(
    (value) => reply({ id, ok: true, value }),
    (error: unknown) => reply({ id, ok: false, error: serialiseError(error) }),
  );
}

// Drizzle reads dates, times and intervals from Postgres's text and parses them itself.
const parserSets = new Map<string, Record<number, (value: string) => string>>();
function textParsers(oids: number[]): Record<number, (value: string) => string> {
  const key = oids.join(',');
  let parsers = parserSets.get(key);
  if (!parsers) {
    parsers = Object.fromEntries(oids.map((oid) => [oid, (value: string) => value]));
    parserSets.set(key, parsers);
  }
  return parsers;
}

async function query(
  db: PGlite,
  request: Extract<PgliteRequest, { kind: 'query' }>,
): Promise<QueryResult> {
  let runner: Pick<PGlite, 'query'> = db;
  if (request.transaction !== null) {
    const open = transactions.get(request.transaction);
    if (!open) throw new Error('Transaction is closed');
    runner = open.tx;
  }
  const result = await runner.query(request.sql, request.params, {
    rowMode: request.rowMode,
    parsers: textParsers(request.textTypes),
  });
  const fields = result.fields.map(({ name, dataTypeID }) => ({ name, dataTypeID }));
  return { rows: result.rows, affectedRows: result.affectedRows ?? 0, fields };
}

/** Opens a transaction; answers `id` with its number once BEGIN has run. */
function begin(db: PGlite, id: number): void {
  let endRequest = id;
  db.transaction(
    (tx) =>
      new Promise<void>((resolve, reject) => {
        transactions.set(id, {
          tx,
          end: (commit, requestId) => {
            endRequest = requestId;
            if (commit) resolve();
            else reject(ROLLBACK);
          },
        });
        reply({ id, ok: true, value: id });
      }),
  ).then(
    () => reply({ id: endRequest, ok: true, value: null }),
    (error: unknown) => {
      // A failed BEGIN answers the begin request (endRequest is still `id`); a failed COMMIT,
      // the commit request.
      if (error === ROLLBACK) reply({ id: endRequest, ok: true, value: null });
      else reply({ id: endRequest, ok: false, error: serialiseError(error) });
    },
  );
}

function end(request: Extract<PgliteRequest, { kind: 'commit' | 'rollback' }>): void {
  const open = transactions.get(request.transaction);
  if (!open) {
    reply({ id: request.id, ok: false, error: serialiseError(new Error('Transaction is closed')) });
    return;
  }
  transactions.delete(request.transaction);
  open.end(request.kind === 'commit', request.id);
}

function serve(db: PGlite): void {
  port.on('message', (request: PgliteRequest) => {
    switch (request.kind) {
      case 'query':
        answer(request.id, query(db, request));
        break;
      case 'begin':
        begin(db, request.id);
        break;
      case 'commit':
      case 'rollback':
        end(request);
        break;
      case 'dump':
        answer(request.id, db.dumpDataDir('none'));
        break;
      case 'close':
        // Answered, then the port closes and the thread ends once nothing else is pending.
        db.close()
          .then(
            () => reply({ id: request.id, ok: true, value: null }),
            (error: unknown) => reply({ id: request.id, ok: false, error: serialiseError(error) }),
          )
          .finally(() => port.close());
        break;
    }
  });
}

async function main(): Promise<void> {
  let db: PGlite;
  try {
    db = await PGlite.create(options.dataDir, {
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${SHARED_BUFFERS}`],
    });
  } catch (error) {
    port.postMessage({ kind: 'failed', error: serialiseError(error) } satisfies PgliteStartup);
    return;
  }
  if (options.mode === 'initdb') {
    await db.close();
    port.postMessage({ kind: 'ready' } satisfies PgliteStartup);
    return;
  }
  serve(db);
  port.postMessage({ kind: 'ready' } satisfies PgliteStartup);
}

await main();
