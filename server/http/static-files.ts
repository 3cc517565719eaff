import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { setHtmlSecurityHeaders } from './security-headers';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built SPA: files under `dir`, and index.html for any other GET (history fallback).
 * Hashed files under /assets/ are cached for a year; index.html never.
 */
export function createStaticHandler(dir: string) {
  const indexHtml = readFileSync(join(dir, 'index.html'));
  const root = normalize(dir + sep);

  return function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const filePath = normalize(join(dir, decodeSafely(pathname)));
    const isFile = filePath.startsWith(root) && existsSync(filePath) && statSync(filePath).isFile();
    if (!isFile && pathname.startsWith('/assets/')) {
      // An asset of another build (a tab open across a deploy): not the SPA, which would be
      // parsed as JavaScript.
      res.statusCode = 404;
      res.setHeader('Content-Type', 'text/plain; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end('Not found');
      return;
    }
    if (!isFile || filePath === join(dir, 'index.html')) {
      res.statusCode = 200;
      setHtmlSecurityHeaders(res);
      res.setHeader('Content-Type', CONTENT_TYPES['.html'] as string);
      res.setHeader('Cache-Control', 'no-cache');
      res.setHeader('Content-Length', indexHtml.length);
      res.end(req.method === 'HEAD' ? undefined : indexHtml);
      return;
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', CONTENT_TYPES[extname(filePath)] ?? 'application/octet-stream');
    res.setHeader(
      'Cache-Control',
      pathname.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
    );
    res.setHeader('Content-Length', statSync(filePath).size);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(filePath).pipe(res);
  };
}

function decodeSafely(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return '/';
  }
}
