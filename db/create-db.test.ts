import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, DataDirInUseError } from './create-db';

const root = mkdtempSync(join(tmpdir(), 'create-db-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('createDb on an embedded data directory', () => {
  it('refuses a directory another live process holds, naming the process', async () => {
    const dataDir = join(root, 'held');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'app.lock'), String(process.ppid));
    const opening = createDb({ pgliteDataDir: dataDir });
    await expect(opening).rejects.toBeInstanceOf(DataDirInUseError);
    await expect(opening).rejects.toThrow(`already open in process ${process.ppid}`);
  });

  it('takes over a lock left by a process that is gone, and releases it on close', async () => {
    const dataDir = join(root, 'stale');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'app.lock'), '2147483646');
    const database = await createDb({ pgliteDataDir: dataDir });
    expect(readFileSync(join(dataDir, 'app.lock'), 'utf8')).toBe(String(process.pid));
    await database.ping();
    await database.close();
    expect(() => readFileSync(join(dataDir, 'app.lock'))).toThrow();
  });
});
