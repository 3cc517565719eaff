import type { Config } from '../config';
import { isLocalAppUrl, isLoopbackHostname } from '../local-url';

export interface HostRule {
  /** The public origin: its host (name and port) is always accepted. */
  appUrl: string;
  /** Also accept localhost, 127.0.0.0/8 and [::1], on any port. */
  loopback: boolean;
}

/**
 * Loopback names are accepted where the app is meant to be reached from this machine: outside
 * production, when APP_URL itself is local (`npm start` opened at 127.0.0.1), and with the local
 * emulator, which delivers its webhooks to the loopback address. A page on another site can never
 * make a browser send a loopback Host, so this leaves DNS rebinding shut.
 */
export function acceptsLoopbackHosts(config: Config): boolean {
  return (
    config.env !== 'production' || isLocalAppUrl(config.appUrl) || config.recur.mode === 'emulator'
  );
}

/**
 * Whether the Host header names this app. Anything else is a DNS-rebinding page or a proxy sending
 * traffic meant for another site, and URLs built from it must not exist: refused before routing.
 */
export function isAllowedHost(host: string | undefined, rule: HostRule): boolean {
  if (!host) return false;
  const app = new URL(rule.appUrl);
  let requested: URL;
  try {
    // Parsed with APP_URL's scheme, so that `app.example.com:443` is `app.example.com`.
    requested = new URL(`${app.protocol}//${host}`);
  } catch {
    return false;
  }
  // A Host with a path or credentials in it names nothing.
  if (requested.pathname !== '/' || requested.username || requested.search) return false;
  if (requested.host === app.host) return true;
  return rule.loopback && isLoopbackHostname(requested.hostname);
}
