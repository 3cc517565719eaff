import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

export type Schema = typeof schema;
/** The one database type the app uses: the same on PGlite and on a real Postgres server. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** The handle a `db.transaction()` callback receives. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  /**
   * The same database, for high-volume bookkeeping writes (rate-limit counters, audit rows):
   * their commits do not wait for the write-ahead log to reach disk, so a crash of the database
   * server may lose the last fraction of a second of them, never anything else. Everything that
   * matters to a user (accounts, sessions, webhooks) goes through `db`.
   */
  bookkeepingDb: Db;
  kind: DatabaseKind;
  /**
   * Postgres only: runs `fn` on a connection of its own (a pool of one), for work that must stay
   * in one session, such as migrations under an advisory lock. Closed when `fn` settles.
   */
  withOneConnection?: <T>(fn: (db: Db) => Promise<T>) => Promise<T>;
  /** PGlite only: the whole data directory as a tarball (see `pgliteLoadDataDir`). */
  dump?: () => Promise<Blob>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDbOptions {
  /** A postgres:// URL. When absent, an embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory; `memory://` keeps it in memory. */
  pgliteDataDir?: string;
  /** Start an in-memory PGlite from a `dumpDataDir()` tarball (the tests' migrated template). */
  pgliteLoadDataDir?: Blob;
  /** Connection pool size for a real Postgres server. */
  maxConnections?: number;
}

export async function createDb(options: CreateDbOptions = {}): Promise<Database> {
  if (options.databaseUrl) {
    return connectPostgres(options.databaseUrl, options.maxConnections ?? 10);
  }
  return openPglite(options.pgliteDataDir ?? './.data/pglite', options.pgliteLoadDataDir);
}

// Each driver is loaded only when used: PGlite alone adds ~40 MB to a server on real Postgres.
async function connectPostgres(url: string, max: number): Promise<Database> {
  const [{ default: postgres }, { drizzle }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
  ]);
  const options = { onnotice: () => {}, connect_timeout: 5 };
  const client = postgres(url, { ...options, max });
  const bookkeeping = postgres(url, {
    ...options,
    max: Math.max(2, Math.ceil(max / 2)),
    connection: { synchronous_commit: 'off' },
  });
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    bookkeepingDb: drizzle(bookkeeping, { schema }) as unknown as Db,
    kind: 'postgres',
    withOneConnection: async (fn) => {
      const one = postgres(url, { ...options, max: 1 });
      try {
        return await fn(drizzle(one, { schema }) as unknown as Db);
      } finally {
        await one.end({ timeout: 5 });
      }
    },
    ping: async () => {
      await client`select 1`;
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), bookkeeping.end({ timeout: 5 })]);
    },
  };
}

// PGlite runs in a worker thread (db/pglite-thread.ts): its WebAssembly Postgres would otherwise
// run on the thread that parses HTTP requests, and every query would hold them all up.
async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const { openPgliteThread } = await import('./pglite-thread');
  let releaseLock = () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
  }
  // Drizzle's PGlite driver loads while the thread opens the database.
  const driver = import('drizzle-orm/pglite');
  let thread: Awaited<ReturnType<typeof openPgliteThread>>;
  try {
    thread = await openPgliteThread({ dataDir, loadDataDir });
  } catch (error) {
    releaseLock();
    throw error;
  }
  // The driver, on a client that forwards PGlite's query() and transaction() to the thread.
  const { drizzle } = await driver;
  const db = drizzle(thread.client as never, { schema }) as unknown as Db;
  return {
    db,
    // One database, one connection: there is no separate commit mode to choose.
    bookkeepingDb: db,
    kind: 'pglite',
    dump: thread.dump,
    ping: thread.ping,
    close: async () => {
      await thread.close();
      releaseLock();
    },
  };
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * PGlite allows one process per data directory: a second one corrupts it. The first process to
 * open a directory writes its pid into `app.lock`; another finds a live pid there and stops.
 */
function lockDataDir(dataDir: string): () => void {
  const lockPath = join(dataDir, 'app.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      // Created only if absent: of two processes starting together, exactly one gets it.
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
    }
    const holder = Number(readFileSync(lockPath, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new DataDirInUseError(
        `The embedded database in ${dataDir} is already open in process ${holder}. ` +
          'PGlite allows one process per directory: stop that process, or set PGLITE_DATA_DIR.',
      );
    }
    rmSync(lockPath, { force: true }); // left by a process that is gone (or by this one)
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export { schema };
