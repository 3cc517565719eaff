// Chained after `vite build` in `npm run build`: writes a brotli (.br) and a gzip (.gz) copy
// beside every compressible file of the client build, which the server sends to browsers that
// accept them (server/http/static-files.ts). Compressing once at build time lets it use the
// slowest, smallest settings; no CPU is spent per request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt|xml|map)$/;
/** Below this, headers dominate and a compressed copy saves nothing worth a file. */
const MIN_BYTES = 1024;

export function brotli(content: Buffer): Buffer {
  return brotliCompressSync(content, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
    },
  });
}

/** Writes `<file>.br` and `<file>.gz` for each compressible file under `dir`; returns how many. */
export function precompress(dir: string): number {
  let written = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, name);
    if (!COMPRESSIBLE.test(name) || !statSync(path).isFile()) continue;
    const content = readFileSync(path);
    if (content.length < MIN_BYTES) continue;
    for (const [extension, compressed] of [
      ['.br', brotli(content)],
      ['.gz', gzipSync(content, { level: 9 })],
    ] as const) {
      if (compressed.length >= content.length) continue;
      writeFileSync(path + extension, compressed);
      written++;
    }
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const dir = resolve(process.argv[2] ?? 'dist/client');
  console.log(`Precompressed ${precompress(dir)} files in ${dir} (brotli and gzip).`);
}
