import { DEMO_ACCOUNT } from '../../db/seed';
/** Plain HTTP calls to a running app, the way a browser on the app's own origin makes them. */
export function httpClient(baseUrl: string) {
  let cookie: string | undefined;
  return {
    get cookie() {
      return cookie;
    },
    set cookie(value: string | undefined) {
      cookie = value;
    },
    async call(
      path: string,
      init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
    ) {
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const response = await fetch(new URL(path, baseUrl), {
        method,
        headers: {
          ...(method === 'GET' ? {} : { origin: baseUrl }),
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(cookie ? { cookie } : {}),
          ...init.headers,
        },
        body:
          init.body === undefined
            ? undefined
            : typeof init.body === 'string'
              ? init.body
              : JSON.stringify(init.body),
      });
      for (const value of response.headers.getSetCookie()) {
        const pair = value.split(';')[0] ?? '';
        cookie = pair.endsWith('=') ? undefined : pair;
      }
      const text = await response.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {}
      // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the server sent
      const body = json as any;
      return { status: response.status, headers: response.headers, text, json: body };
    },
  };
}

/** A browser on `baseUrl` signed in as the seeded demo user; fails loudly if sign-in does. */
export async function demoBrowser(baseUrl: string) {
  const browser = httpClient(baseUrl);
  const response = await browser.call('/trpc/auth.signIn', {
    body: { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password },
  });
  if (response.status !== 200) throw new Error(`demo sign-in failed: ${response.status}`);
  return browser;
}
