// Browser and operating system from a User-Agent header, for people to recognise their own
// devices in the session and activity lists. Not for decisions: any client can send any header.
// The major browsers and systems only; anything else is "unknown" (null).

export interface NamedVersion {
  name: string;
  /** The major version (browsers, Android) or major.minor (iOS, iPadOS), when the header gives one. */
  version: string | null;
}

export interface ParsedUserAgent {
  browser: NamedVersion | null;
  os: NamedVersion | null;
}

// Order matters: Chromium-based browsers also say "Chrome/", and nearly everything says "Safari/".
const BROWSERS: [name: string, pattern: RegExp][] = [
  ['Edge', /\b(?:Edg|EdgA|EdgiOS|Edge)\/(\d+)/],
  ['Opera', /\b(?:OPR|OPiOS|Opera)\/(\d+)/],
  ['Samsung Internet', /\bSamsungBrowser\/(\d+)/],
  ['Firefox', /\b(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /\b(?:Chrome|CriOS|HeadlessChrome)\/(\d+)/],
  ['Safari', /\bVersion\/(\d+)[.\d]* (?:Mobile\/\S+ )?Safari\//],
  ['Internet Explorer', /\b(?:MSIE |Trident\/.*\brv:)(\d+)/],
];

const WINDOWS_VERSIONS: Record<string, string> = {
  '6.1': '7',
  '6.2': '8',
  '6.3': '8.1',
};

function parseOs(ua: string): NamedVersion | null {
  const ios = /\b(iPhone|iPad|iPod)\b.*? OS (\d+)[_.](\d+)/.exec(ua);
  if (ios) {
    return { name: ios[1] === 'iPad' ? 'iPadOS' : 'iOS', version: `${ios[2]}.${ios[3]}` };
  }
  const android = /\bAndroid (\d+)/.exec(ua);
  if (android) return { name: 'Android', version: android[1] ?? null };
  if (/\bAndroid\b/.test(ua)) return { name: 'Android', version: null };
  const windows = /\bWindows NT (\d+\.\d+)/.exec(ua);
  if (windows) return { name: 'Windows', version: WINDOWS_VERSIONS[windows[1] ?? ''] ?? null };
  if (/\bWindows\b/.test(ua)) return { name: 'Windows', version: null };
  if (/\bCrOS\b/.test(ua)) return { name: 'ChromeOS', version: null };
  // macOS versions in the header have been frozen at 10_15_7 since macOS 11: not worth showing.
  if (/\bMac OS X\b|\bMacintosh\b/.test(ua)) return { name: 'macOS', version: null };
  if (/\bLinux\b|\bX11\b/.test(ua)) return { name: 'Linux', version: null };
  return null;
}

function parseBrowser(ua: string): NamedVersion | null {
  for (const [name, pattern] of BROWSERS) {
    const match = pattern.exec(ua);
    if (match) return { name, version: match[1] ?? null };
  }
  return null;
}

/** Headers are read up to this length (sessions store them cut to it): it bounds the work. */
export const USER_AGENT_MAX_LENGTH = 512;

export function parseUserAgent(userAgent: string | null | undefined): ParsedUserAgent {
  if (!userAgent) return { browser: null, os: null };
  const ua = userAgent.slice(0, USER_AGENT_MAX_LENGTH);
  return { browser: parseBrowser(ua), os: parseOs(ua) };
}
