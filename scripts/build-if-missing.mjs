// `npm start` runs the production build; this builds it first on a fresh clone.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/server/main.js') || !existsSync('dist/client/index.html')) {
  console.log('No production build yet: running `npm run build` once…');
  const result = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
