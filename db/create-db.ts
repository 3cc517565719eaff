import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
    ping: async () => {
      await client`select 1`;
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), bookkeeping.end({ timeout: 5 })]);
    },
  };
}

async function openPglite(dataDir: string, loadDataDir?: Blob): Promise<Database> {
  const [{ PGlite }, { drizzle }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  let releaseLock = () => {};
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(dataDir);
    if (!existsSync(join(dataDir, 'PG_VERSION'))) initialisePgliteElsewhere(dataDir);
  }
  const client = await PGlite.create(dataDir, loadDataDir ? { loadDataDir } : {});
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    // One process, one connection: there is no separate commit mode to choose.
    bookkeepingDb: db,
    kind: 'pglite',
    dump: () => client.dumpDataDir('none'),
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      await client.close();
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

/**
 * Creating a PGlite data directory (its initdb) takes the WebAssembly heap to ~800 MB, which a
 * process never gives back. Doing it in a short-lived child leaves the server at the ~300 MB an
 * existing directory costs.
 */
function initialisePgliteElsewhere(dataDir: string): void {
  const pglite = import.meta.resolve('@electric-sql/pglite');
  const script = `import { PGlite } from ${JSON.stringify(pglite)};
    const db = await PGlite.create(process.argv[1]); await db.close();`;
  execFileSync(process.execPath, ['--input-type=module', '-e', script, dataDir], {
    stdio: 'inherit',
  });
}

export { schema };
