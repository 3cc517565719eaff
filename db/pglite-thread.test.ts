// The embedded database in its worker thread, seen from the app: transactions hold the one
// connection, errors keep their SQLSTATE, and a thread that closes or dies says so instead of
// leaving a query waiting.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { isDatabaseUnavailable, isUniqueViolation } from '../server/database-errors';
import { describeCause } from '../server/log-safe-cause';
import { createDb, type Database } from './create-db';
import { migrate } from './migrate';
import { openPgliteThread } from './pglite-thread';
import { users } from './schema';

/** The suite's migrated template (none when the suite runs on a Postgres server). */
function template(): { loadDataDir?: Blob } {
  const path = inject('pgliteTemplate');
  return path ? { loadDataDir: new Blob([readFileSync(path)]) } : {};
}

/** A migrated in-memory database. */
async function openMigrated(): Promise<Database> {
  const { loadDataDir } = template();
  const database = await createDb({
    pgliteDataDir: 'memory://',
    ...(loadDataDir ? { pgliteLoadDataDir: loadDataDir } : {}),
  });
  await migrate(database);
  return database;
}

const user = (id: string) => ({
  id,
  email: `${id}@example.com`,
  passwordHash: 'x',
  displayName: id,
});

const ids = async (database: Database) =>
  (await database.db.select({ id: users.id }).from(users).orderBy(users.id)).map((row) => row.id);

let database: Database;
beforeAll(async () => {
  database = await openMigrated();
});
afterAll(() => database.close());

describe('transactions through the worker', () => {
  beforeEach(async () => {
    await database.db.delete(users);
  });

  it('commits when the callback returns, and rolls back when it throws', async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(users).values(user('kept'));
    });
    const failing = database.db.transaction(async (tx) => {
      await tx.insert(users).values(user('undone'));
      throw new Error('changed my mind');
    });
    await expect(failing).rejects.toThrow('changed my mind');
    expect(await ids(database)).toEqual(['kept']);
  });

  it('rolls back to a savepoint for a nested transaction and commits the rest', async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(users).values(user('outer'));
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert(users).values(user('inner'));
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await ids(database)).toEqual(['outer']);
  });

  it('runs statements from outside only after the transaction, never inside it', async () => {
    let outsideDone = false;
    let outside: Promise<unknown> = Promise.resolve();
    const failing = database.db.transaction(async (tx) => {
      await tx.insert(users).values(user('in-tx'));
      // Sent while the transaction is open: it must not join it (and so not be rolled back).
      outside = database.db
        .insert(users)
        .values(user('outside'))
        .then(() => {
          outsideDone = true;
        });
      await sleep(50);
      expect(outsideDone).toBe(false);
      await tx.update(users).set({ displayName: 'changed' }).where(eq(users.id, 'in-tx'));
      throw new Error('roll back');
    });
    await expect(failing).rejects.toThrow('roll back');
    await outside;
    expect(outsideDone).toBe(true);
    expect(await ids(database)).toEqual(['outside']);
  });

  it('keeps concurrent transactions apart: each sees only its own rows until it commits', async () => {
    const seen: string[][] = [];
    await Promise.all(
      ['a', 'b', 'c'].map((id) =>
        database.db.transaction(async (tx) => {
          await tx.insert(users).values(user(id));
          await sleep(5);
          seen.push((await tx.select({ id: users.id }).from(users)).map((row) => row.id).sort());
        }),
      ),
    );
    // One after another: each saw the rows of those committed before it, and its own.
    expect(seen.map((rows) => rows.length).sort()).toEqual([1, 2, 3]);
    expect(await ids(database)).toEqual(['a', 'b', 'c']);
  });
});

describe('the embedded database', () => {
  it("keeps a 32 MB buffer cache (PGlite's 128 MB default is resident from the start)", async () => {
    const result = await database.db.execute(sql`show shared_buffers`);
    expect((result as unknown as { rows: unknown[] }).rows).toEqual([{ shared_buffers: '32MB' }]);
  });
});

describe('errors crossing the thread boundary', () => {
  beforeEach(async () => {
    await database.db.delete(users);
  });

  it('keep the SQLSTATE code, the constraint and the database message', async () => {
    await database.db.insert(users).values(user('twice'));
    const error = await database.db
      .insert(users)
      .values(user('twice'))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isUniqueViolation(error)).toBe(true);
    const cause = (error as Error).cause as Error & { code?: string; constraint?: string };
    expect(cause).toBeInstanceOf(Error);
    expect(cause.code).toBe('23505');
    expect(cause.constraint).toBe('users_pkey');
    expect(describeCause(error)).toMatch(/23505: duplicate key value violates unique constraint/);
  });

  it('fail only the statement: the connection keeps serving', async () => {
    await expect(database.db.execute(sql`select * from no_such_table`)).rejects.toMatchObject({
      cause: { code: '42P01' },
    });
    await expect(database.ping()).resolves.toBeUndefined();
  });

  it('answer a failed COMMIT (a transaction whose statement failed) with the error', async () => {
    const outcome = database.db.transaction(async (tx) => {
      await tx.execute(sql`select 1 / 0`).catch(() => {});
    });
    await expect(outcome).rejects.toBeInstanceOf(Error);
    await expect(database.ping()).resolves.toBeUndefined();
  });
});

describe('closing, and a thread that dies', () => {
  it('close() lets queued statements finish, ends the thread, then refuses new ones', async () => {
    const thread = await openPgliteThread({ dataDir: 'memory://', ...template() });
    const queued = thread.client.query('select 42 as answer');
    await thread.close();
    await expect(queued).resolves.toMatchObject({ rows: [{ answer: 42 }] });
    expect(thread.worker.threadId).toBe(-1);
    const after = thread.client.query('select 1').catch((error: unknown) => error);
    expect(await after).toMatchObject({ message: 'PGlite is closed' });
    expect(isDatabaseUnavailable(await after)).toBe(true);
    await thread.close(); // twice is fine
  });

  it('close() during a transaction lets it finish and commit, refusing other work', async () => {
    const thread = await openPgliteThread({ dataDir: 'memory://', ...template() });
    let closing: Promise<void> = Promise.resolve();
    const committed = thread.client.transaction(async (tx) => {
      await tx.query('create table kept (n int)');
      closing = thread.close();
      await expect(thread.client.query('select 1')).rejects.toThrow('PGlite is closed');
      await tx.query('insert into kept values (1)');
      return 'done';
    });
    await expect(committed).resolves.toBe('done');
    await closing;
    expect(thread.worker.threadId).toBe(-1);
  });

  it('a crashed thread fails the statement in flight and every later one as unavailable', async () => {
    const thread = await openPgliteThread({ dataDir: 'memory://', ...template() });
    const inFlight = thread.client.query('select pg_sleep(5)').catch((error: unknown) => error);
    await sleep(50);
    await thread.worker.terminate();
    const error = await inFlight;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/embedded database stopped unexpectedly/);
    expect(isDatabaseUnavailable(error)).toBe(true);
    await expect(thread.ping()).rejects.toMatchObject({ code: '08006' });
    await expect(thread.close()).resolves.toBeUndefined();
  });
});

describe('a new data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'pglite-thread-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('starts as a copy of the template when there is one, migrated already', async () => {
    const template = join(root, 'template');
    const making = await createDb({ pgliteDataDir: template });
    await migrate(making);
    await making.close();

    const dataDir = join(root, 'from-template');
    const thread = await openPgliteThread({ dataDir, template });
    try {
      const { rows } = await thread.client.query('select count(*)::int as n from users');
      expect(rows).toEqual([{ n: 0 }]);
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    } finally {
      await thread.close();
    }
  });
});
