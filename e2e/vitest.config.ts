// Browser end-to-end tests: `npm run test:e2e`. See e2e/global-setup.ts for what runs where.
// (Self-contained on purpose: Vite's config loader prefers configs without local imports.)
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** CHROMIUM_PATH when set (it must exist), else Debian's Chromium; null when there is none. */
function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH?.trim();
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH is ${fromEnv}, but no file is there.`);
    return fromEnv;
  }
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : null;
}

const chromiumPath = findChromium();
if (!chromiumPath) {
  // One clear line and a clean exit: a machine without a browser is not a failure.
  console.log(
    'e2e: skipped, no Chromium found. To run the browser tests: `apt-get install chromium`, or set CHROMIUM_PATH=/path/to/chromium.',
  );
  process.exit(0);
}

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('..', import.meta.url)),
    include: ['e2e/tests/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    provide: { chromiumPath },
    // One app and one emulator serve every file, and the outage test injects faults into the
    // shared emulator: files run one after another.
    fileParallelism: false,
    // Upper bounds for waiting on the app, never timing assertions.
    testTimeout: 120_000,
    expect: { poll: { timeout: 30_000 } },
    hookTimeout: 180_000,
  },
});
