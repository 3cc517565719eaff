/**
 * Whether a URL points at this machine only: `localhost` (and `*.localhost`, which browsers
 * resolve to loopback), 127.0.0.0/8 or [::1]. An app whose APP_URL is local can only be reached
 * from the machine it runs on, so development conveniences (the Recur emulator, the demo account,
 * a dev mailbox) are safe there and nowhere else.
 */
export function isLocalAppUrl(url: string): boolean {
  let hostname: string;
  try {
    hostname = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return isLoopbackHostname(hostname);
}

/** A host name (no port) that always means this machine. */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '[::1]' || name === '::1') return true;
  return /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name);
}
