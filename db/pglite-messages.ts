// What db/pglite-thread.ts (the app's side) and db/pglite-worker.ts (the embedded database's
// thread) say to each other. Everything here crosses a `postMessage`, so it is plain data.

/** How the worker opens the database. */
export interface PgliteWorkerData {
  /** A directory, or `memory://`. */
  dataDir: string;
  /** A `dumpDataDir()` tarball to start an in-memory database from. */
  loadDataDir?: Blob;
  /** `initdb`: create the data directory's cluster, close it and exit (see pglite-thread.ts). */
  mode: 'serve' | 'initdb';
}

export type PgliteRequest =
  | {
      id: number;
      kind: 'query';
      sql: string;
      params: unknown[];
      rowMode: 'array' | 'object';
      /** Type oids to return as Postgres's text instead of parsing (Drizzle parses dates itself). */
      textTypes: number[];
      /** The transaction the statement belongs to; none for a statement on its own. */
      transaction: number | null;
    }
  | { id: number; kind: 'begin' }
  | { id: number; kind: 'commit' | 'rollback'; transaction: number }
  | { id: number; kind: 'dump' }
  | { id: number; kind: 'close' };

export interface QueryResult {
  rows: unknown[];
  affectedRows?: number;
  fields: { name: string; dataTypeID: number }[];
}

export type PgliteResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: SerialisedError };

/** Posted once by the worker: the database is open, or could not be opened. */
export type PgliteStartup = { kind: 'ready' } | { kind: 'failed'; error: SerialisedError };

/**
 * An error as it crosses the thread boundary: its name, message and every text or number field
 * (`code`, `detail`, `constraint`, `table`, … of a Postgres error), so the app reads the SQLSTATE
 * `code` as it would from the driver. The parameters PGlite attaches to a failed query stay behind.
 */
export interface SerialisedError {
  name: string;
  message: string;
  fields: Record<string, string | number>;
}

export function serialiseError(error: unknown): SerialisedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(error)) {
    if (key === 'name' || key === 'message' || key === 'stack') continue;
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}
