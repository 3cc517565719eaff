// The cookie a browser gets when it submits the sign-up form: a random secret whose hash the new
// account's verification link carries, so that opening the link in the same browser signs it in
// (docs/decisions/0015-sign-up-reveals-no-account.md). A sign-up with a registered address gets
// one just the same, bound to nothing, so the answers cannot be told apart.

/** `__Host-` over HTTPS: only this origin can set it (no subdomain, Secure, Path=/). */
export function signUpCookieName(secure: boolean): string {
  return secure ? '__Host-signup' : 'signup';
}

export function signUpCookie(secret: string, secure: boolean): string {
  return `${signUpCookieName(secure)}=${secret}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function clearSignUpCookie(secure: boolean): string {
  return `${signUpCookieName(secure)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** The secrets in the Cookie header (more than one if the browser holds duplicates). */
export function readSignUpCookies(header: string | undefined, secure: boolean): string[] {
  const name = signUpCookieName(secure);
  const values: string[] = [];
  for (const item of header?.split(';') ?? []) {
    const eq = item.indexOf('=');
    if (eq === -1 || item.slice(0, eq).trim() !== name) continue;
    const value = item.slice(eq + 1).trim();
    if (/^[A-Za-z0-9_-]{43}$/.test(value)) values.push(value);
  }
  return values.slice(0, 4);
}
