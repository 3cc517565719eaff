/**
 * The cookies one browser holds: what it sends back in its Cookie header after each Set-Cookie
 * (a value of `name=` or Max-Age=0 removes the cookie, as a browser does). A header set by hand
 * is kept as written, duplicates included, until the server sets that cookie again.
 */
export function createCookieJar() {
  let cookies: [name: string, value: string][] = [];
  return {
    /** The Cookie header to send, or undefined when the jar is empty. */
    get header(): string | undefined {
      return cookies.length
        ? cookies.map(([name, value]) => `${name}=${value}`).join('; ')
        : undefined;
    },
    /** Replaces the whole jar with the cookies of a Cookie header (`a=1; b=2`). */
    set header(value: string | undefined) {
      cookies = [];
      for (const item of value?.split(';') ?? []) {
        const eq = item.indexOf('=');
        if (eq > 0) cookies.push([item.slice(0, eq).trim(), item.slice(eq + 1).trim()]);
      }
    },
    get(name: string): string | undefined {
      return cookies.find(([n]) => n === name)?.[1];
    },
    /** Applies one Set-Cookie value. */
    store(setCookie: string): void {
      const [pair = '', ...attributes] = setCookie.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) return;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((attribute) => /^\s*max-age=0\s*$/i.test(attribute));
      cookies = cookies.filter(([n]) => n !== name);
      if (value !== '' && !expired) cookies.push([name, value]);
    },
  };
}
