import { DEMO_ACCOUNT } from '../../db/seed';
import { createCookieJar } from './cookie-jar';

/** Plain HTTP calls to a running app, the way a browser on the app's own origin makes them. */
export function httpClient(baseUrl: string) {
  const jar = createCookieJar();
  return {
    /** The Cookie header this browser sends; setting it replaces every cookie. */
    get cookie() {
      return jar.header;
    },
    set cookie(value: string | undefined) {
      jar.header = value;
    },
    /** One cookie's value, e.g. the session id in `session`. */
    cookieValue: (name: string) => jar.get(name),
    async call(
      path: string,
      init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
    ) {
      const method = init.method ?? (init.body === undefined ? 'GET' : 'POST');
      const cookie = jar.header;
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
      for (const value of response.headers.getSetCookie()) jar.store(value);
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

/**
 * Signs up, then signs in, as a person does next: sign-up itself answers without a session
 * (docs/decisions/0015-sign-up-reveals-no-account.md). Fails loudly if either step does.
 */
export async function signUpAndSignIn(
  browser: ReturnType<typeof httpClient>,
  body: { email: string; password: string; locale?: 'zh-TW' | 'en'; displayName?: string },
) {
  const signUp = await browser.call('/trpc/auth.signUp', { body });
  if (signUp.status !== 200) throw new Error(`sign-up failed: ${signUp.status} ${signUp.text}`);
  const signIn = await browser.call('/trpc/auth.signIn', {
    body: { email: body.email, password: body.password },
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${signIn.text}`);
  return signIn;
}
