import type { IncomingMessage, ServerResponse } from 'node:http';
import sirv from 'sirv';
import { setHtmlSecurityHeaders } from './security-headers';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built SPA with sirv: the files under `dir` are listed once at start (no disk lookup
 * per request), each sent as the brotli or gzip copy the build made when the browser accepts it
 * (`Vary: Accept-Encoding`), with an ETag answered by 304. Hashed files under /assets/ are cached
 * for a year; everything else, index.html included, is revalidated. Any other GET gets index.html
 * (history fallback), except under /assets/: an asset of another build (a tab open across a
 * deploy) is a 404, never the SPA, which the browser would parse as JavaScript.
 */
export function createStaticHandler(dir: string) {
  const files = sirv(dir, {
    etag: true,
    brotli: true,
    gzip: true,
    // Exact names only: every other path is the SPA's, answered below with index.html.
    extensions: [],
    setHeaders: (res, pathname) => {
      if (pathname.endsWith('.html')) setHtmlSecurityHeaders(res);
    },
  });

  return function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const isAsset = pathname.startsWith('/assets/');
    res.setHeader('Cache-Control', isAsset ? IMMUTABLE : 'no-cache');
    files(req, res, () => {
      if (isAsset) return notFound(res);
      req.url = '/index.html';
      files(req, res, () => notFound(res));
    });
  };
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end('Not found');
}
