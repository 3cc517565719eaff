// `npm run db:migrate` / `db:seed` read `.env` as the server does: a developer who put
// PGLITE_DATA_DIR (or DATABASE_URL) there gets the same database from both.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'db-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('db/cli.ts', () => {
  it('migrates the database named in .env', () => {
    writeFileSync(join(dir, '.env'), 'PGLITE_DATA_DIR=./from-dotenv\n');
    const { DATABASE_URL: _, PGLITE_DATA_DIR: __, ...env } = process.env;
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'db/cli.ts'), 'migrate'],
      { cwd: dir, env, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stdout + result.stderr).toContain('Migrations applied (pglite)');
    expect(existsSync(join(dir, 'from-dotenv', 'PG_VERSION'))).toBe(true);
    expect(existsSync(join(dir, '.data'))).toBe(false);
  });
});
