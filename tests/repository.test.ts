// What someone picking the project up relies on: a licence, CI they can run on GitHub, a build
// that survives deleting bench/, and no path that only exists on the machine it was written on.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function sourceFiles(dir: string): string[] {
  const abs = join(ROOT, dir);
  if (!statSync(abs).isDirectory()) return [dir];
  return readdirSync(abs).flatMap((name) =>
    name === 'node_modules' || name === 'dist' ? [] : sourceFiles(join(dir, name)),
  );
}

describe('the repository', () => {
  it('has an MIT licence', () => {
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
    expect(read('package.json')).toContain('"license": "MIT"');
  });

  it('has a GitHub Actions workflow running the same checks as .ci/run', () => {
    const workflow = read('.github/workflows/ci.yml');
    const steps = [
      ...read('.ci/run').matchAll(/^\s*((?:\w+=\S+ )*npm (?:ci|test|run [\w:]+)).*$/gm),
    ];
    expect(steps.length).toBeGreaterThanOrEqual(7);
    for (const [, command] of steps) expect(workflow).toContain(command);
    expect(workflow).toMatch(/services:\s+postgres:/);
    expect(workflow).toMatch(/apt-get install[^\n]*chromium/);
  });

  it('builds without bench/: nothing the build reads imports from it', () => {
    const buildInputs = ['scripts', 'server', 'client', 'db', 'vite.config.ts'];
    const offenders = buildInputs
      .flatMap(sourceFiles)
      .filter((file) => /\.(?:ts|tsx|mjs|js)$/.test(file) && !file.endsWith('.test.ts'))
      .filter((file) =>
        [...read(file).matchAll(/(?:from|import\()\s*['"](\.[^'"]+)['"]/g)].some(([, spec]) =>
          relative(ROOT, resolve(ROOT, dirname(file), spec ?? '')).startsWith('bench'),
        ),
      );
    expect(offenders).toEqual([]);
    expect(read('package.json')).not.toMatch(/"(?:build|prebuild|postbuild)": "[^"]*bench\//);
  });

  it('documents deployment: every variable the server reads, and links to it from both READMEs', () => {
    const variables = [...read('server/config.ts').matchAll(/^ {4}([A-Z][A-Z_]+):/gm)].map(
      ([, name]) => name ?? '',
    );
    expect(variables).toContain('HTTP_REQUEST_TIMEOUT_MS');
    const documented = read('docs/deploy.md') + read('README.md');
    const example = read('.env.example');
    for (const name of variables) {
      expect(documented, name).toContain(`\`${name}\``);
      expect(example, name).toMatch(new RegExp(`^# ${name}=`, 'm'));
    }
    for (const readme of ['README.md', 'README.zh-TW.md']) {
      expect(read(readme), readme).toContain('(docs/deploy.md)');
    }
  });

  it('names no path outside the repository', () => {
    const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .filter((file) => file && existsSync(join(ROOT, file)) && !/\.(?:png|lock)$/.test(file));
    const offenders = tracked.filter((file) => /\/work\/|\/home\/\w/.test(read(file)));
    expect(offenders).toEqual([]);
  });
});
