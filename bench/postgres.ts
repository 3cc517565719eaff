// Throw-away databases on the local Postgres server, named bench_*, dropped when done.
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { createDb, type Database } from '../db/create-db';
import { migrate } from '../db/migrate';

/** The server to create bench databases on (any existing database of it). */
export const PG_SERVER_URL =
  process.env.BENCH_PG_SERVER_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  name: string;
  url: string;
  /** `ALTER DATABASE … SET name = value`: applies to connections opened afterwards. */
  setOption(name: string, value: string): Promise<void>;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (admin: postgres.Sql) => Promise<T>): Promise<T> {
  const admin = postgres(PG_SERVER_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    return await fn(admin);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * Creates and migrates `bench_<label>_<random>` (left empty with `migrated: false`, for servers
 * that migrate it themselves at start); `drop()` removes it even with open sessions.
 */
export async function createBenchDatabase(
  label: string,
  options: { migrated?: boolean } = {},
): Promise<BenchDatabase> {
  const name = `bench_${label}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.unsafe(`create database ${name}`));
  const url = new URL(PG_SERVER_URL);
  url.pathname = `/${name}`;
  const bench: BenchDatabase = {
    name,
    url: url.toString(),
    setOption: async (option, value) => {
      if (!/^\w+$/.test(option) || !/^\w+$/.test(value)) throw new Error('bad option');
      await withAdmin((admin) => admin.unsafe(`alter database ${name} set ${option} = ${value}`));
    },
    drop: async () => {
      await withAdmin((admin) => admin.unsafe(`drop database if exists ${name} with (force)`));
    },
  };
  try {
    if (options.migrated !== false) await withDatabase(bench.url, (database) => migrate(database));
  } catch (error) {
    await bench.drop();
    throw error;
  }
  return bench;
}

/** Opens the app's own database layer on `url` (or a PGlite dir) for the length of `fn`. */
export async function withDatabase<T>(
  target: string,
  fn: (database: Database) => Promise<T>,
): Promise<T> {
  const database = target.startsWith('postgres')
    ? await createDb({ databaseUrl: target, maxConnections: 2 })
    : await createDb({ pgliteDataDir: target });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}
