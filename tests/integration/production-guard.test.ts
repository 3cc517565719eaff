// A production server with no Recur key and a public APP_URL would run the local emulator and hand
// out the demo login: it must refuse to start and say which variable to set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startChildServer } from '../support/child-server';

const dataDir = mkdtempSync(join(tmpdir(), 'production-guard-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the production guard', () => {
  it('refuses to start the emulator behind a public APP_URL', async () => {
    const started = startChildServer({
      APP_URL: 'https://app.example.com',
      PGLITE_DATA_DIR: dataDir,
      RECUR_SECRET_KEY: '',
      RECUR_EMULATOR: '',
    });
    await expect(started).rejects.toThrow(/exited with 1[\s\S]*RECUR_EMULATOR=1/);
  });
});
