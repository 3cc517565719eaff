import type { Messages } from '../../i18n/messages';

interface NamedVersion {
  name: string;
  version: string | null;
}

const named = (part: NamedVersion) => (part.version ? `${part.name} ${part.version}` : part.name);

/** "Chrome 131 on macOS", from what the server read in the User-Agent header. */
export function deviceLabel(
  t: Messages,
  device: { browser: NamedVersion | null; os: NamedVersion | null },
): string {
  return t.sessions.device(
    device.browser ? named(device.browser) : t.sessions.unknownBrowser,
    device.os ? named(device.os) : t.sessions.unknownOs,
  );
}
