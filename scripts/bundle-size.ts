// What the browser downloads for the account page: the entry script and stylesheet named in
// dist/client/index.html, every chunk they import statically, and any lazily imported chunk
// whose file name says "account"; each counted as the bytes that cross the wire, the brotli copy
// the build wrote beside it (scripts/precompress.ts), which the server sends to every browser
// that accepts brotli. 1 KB = 1000 bytes, as Vite's own build report counts.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { brotli } from './precompress';

export const JS_BUDGET_BYTES = 100_000;

export interface BundleFile {
  path: string;
  bytes: number;
  /** Brotli-compressed: what crosses the wire. */
  wireBytes: number;
}

export interface BundleSize {
  files: BundleFile[];
  jsWireBytes: number;
  cssWireBytes: number;
  withinBudget: boolean;
}

const STATIC_IMPORT =
  /(?:^|[;\s}])(?:import|export)\s*(?:[\w*${},\s]+from\s*)?["']([^"']+\.js)["']/g;
const DYNAMIC_IMPORT = /import\(\s*["']([^"']+\.js)["']\s*\)/g;
const TAG_URL = /<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["'][^>]*>/g;

export function measureBundle(distDir: string): BundleSize {
  const indexPath = join(distDir, 'index.html');
  if (!existsSync(indexPath)) throw new Error(`${indexPath} not found: run \`vite build\` first`);
  const html = readFileSync(indexPath, 'utf8');

  const wanted: string[] = [];
  for (const match of html.matchAll(TAG_URL)) {
    const tag = match[0];
    const url = match[1] ?? '';
    const isScript = tag.startsWith('<script');
    const isStyleOrPreload = /rel=["'](?:stylesheet|modulepreload)["']/.test(tag);
    if ((isScript || isStyleOrPreload) && /\.(?:js|css)$/.test(url)) wanted.push(url);
  }

  const seen = new Set<string>();
  const files: BundleFile[] = [];
  while (wanted.length > 0) {
    const url = wanted.pop() ?? '';
    if (seen.has(url) || /^(?:https?:)?\/\//.test(url)) continue;
    seen.add(url);
    const filePath = join(distDir, url.replace(/^\//, ''));
    const content = readFileSync(filePath);
    files.push({ path: url, bytes: content.length, wireBytes: wireSize(filePath, content) });
    if (!url.endsWith('.js')) continue;
    const source = content.toString('utf8');
    const base = dirname(url);
    for (const m of source.matchAll(STATIC_IMPORT)) wanted.push(posix.join(base, m[1] ?? ''));
    for (const m of source.matchAll(DYNAMIC_IMPORT)) {
      const spec = m[1] ?? '';
      if (/account/i.test(spec)) wanted.push(posix.join(base, spec));
    }
  }

  const sum = (ext: string) =>
    files.filter((f) => f.path.endsWith(ext)).reduce((total, f) => total + f.wireBytes, 0);
  const jsWireBytes = sum('.js');
  return {
    files: files.sort((a, b) => a.path.localeCompare(b.path)),
    jsWireBytes,
    cssWireBytes: sum('.css'),
    withinBudget: jsWireBytes <= JS_BUDGET_BYTES,
  };
}

/** The size of the brotli copy the server sends; files too small to get one go as they are. */
function wireSize(filePath: string, content: Buffer): number {
  if (existsSync(`${filePath}.br`)) return statSync(`${filePath}.br`).size;
  return Math.min(content.length, brotli(content).length);
}

export const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
