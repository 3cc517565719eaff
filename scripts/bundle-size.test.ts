import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measureBundle } from './bundle-size';
import { precompress } from './precompress';

const dist = mkdtempSync(join(tmpdir(), 'bundle-size-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe('measureBundle', () => {
  it('counts the bytes that cross the wire: the brotli files the server sends', () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<script type="module" src="/assets/app.js"></script><link rel="stylesheet" href="/assets/app.css">',
    );
    const js = `import "./chunk.js";\n${'export const x = [1, 2, 3].map((n) => n * 2);\n'.repeat(200)}`;
    writeFileSync(join(dist, 'assets', 'app.js'), js);
    writeFileSync(join(dist, 'assets', 'chunk.js'), 'export const y = 1;\n'.repeat(300));
    writeFileSync(join(dist, 'assets', 'app.css'), 'body { margin: 0; }\n'.repeat(100));
    precompress(dist);

    const size = measureBundle(dist);
    const brotli = (file: string) => statSync(join(dist, 'assets', `${file}.br`)).size;
    expect(size.files.map((f) => f.path)).toEqual([
      '/assets/app.css',
      '/assets/app.js',
      '/assets/chunk.js',
    ]);
    expect(size.jsWireBytes).toBe(brotli('app.js') + brotli('chunk.js'));
    expect(size.cssWireBytes).toBe(brotli('app.css'));
    expect(size.jsWireBytes).toBeLessThan(readFileSync(join(dist, 'assets', 'app.js')).length / 5);
  });
});
