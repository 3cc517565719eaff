// `npm start` runs the production build; this builds it first on a fresh clone, and again when
// any source file is newer than the build (after a `git pull` or an edit).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const BUILT = 'dist/server/main.js';
const SOURCES = ['client', 'server', 'db', 'emulator', 'package-lock.json', 'vite.config.ts'];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  return newest;
}

const missing = !existsSync(BUILT) || !existsSync('dist/client/index.html');
const stale = !missing && Math.max(...SOURCES.map(newestChange)) > statSync(BUILT).mtimeMs;
if (missing || stale) {
  console.log(
    `${missing ? 'No production build yet' : 'Sources changed since the last build'}: running \`npm run build\`…`,
  );
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
