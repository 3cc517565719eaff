// The app's logger: pino, JSON lines in production, readable lines in development (or on a
// terminal). Every line written while a request is handled carries its request id. Values under
// the names below never reach a log, and Recur keys, webhook secrets and session ids are scrubbed
// out of messages as well.
import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type LevelWithSilent, type Logger as PinoLogger } from 'pino';
import { prettyLines } from './pretty-lines';

export type Logger = PinoLogger;
export type LogLevel = LevelWithSilent;
export type LogFormat = 'json' | 'pretty';

/** Where lines go: stdout by default; tests pass a collector. */
export interface LogDestination {
  write(line: string): void;
}

const SECRET_FIELDS = [
  'cookie',
  'authorization',
  'password',
  'token',
  'formToken',
  'secret',
  'secretKey',
  'webhookSecret',
  'apiKey',
  'privateKey',
];
const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  '*.headers.cookie',
  '*.headers.authorization',
  'headers["set-cookie"]',
  'headers["x-recur-signature"]',
  '*.headers["set-cookie"]',
  '*.headers["x-recur-signature"]',
];

const SECRETS_IN_TEXT: [RegExp, string][] = [
  [/\b((?:sk|pk)_(?:test|live)_|whsec_)[A-Za-z0-9_-]+/g, '$1[redacted]'],
  [/\b(session=)[A-Za-z0-9]+/g, '$1[redacted]'],
  [/\b(Bearer\s+)\S+/gi, '$1[redacted]'],
];

function scrub(text: string): string {
  return SECRETS_IN_TEXT.reduce((out, [pattern, by]) => out.replace(pattern, by), text);
}

const requestIds = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it starts) as the handling of request `id`: its lines carry `reqId`. */
export function withRequestId<T>(id: string, fn: () => T): T {
  return requestIds.run(id, fn);
}

export function createLogger(options: {
  level: LogLevel;
  format: LogFormat;
  destination?: LogDestination;
}): Logger {
  const target = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level: options.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      mixin: () => {
        const reqId = requestIds.getStore();
        return reqId ? { reqId } : {};
      },
      hooks: {
        logMethod(args, method) {
          const clean = args.map((arg) => (typeof arg === 'string' ? scrub(arg) : arg));
          return method.apply(this, clean as Parameters<typeof method>);
        },
      },
    },
    options.format === 'pretty' ? prettyLines(target) : target,
  );
}

/**
 * Lines handed to a `(line) => void` function, as a developer reads them (or as JSON): what
 * tests collect next to deps.log's own lines.
 */
export function loggerWritingTo(
  log: (line: string) => void,
  level: LogLevel = 'info',
  format: LogFormat = 'pretty',
): Logger {
  return createLogger({ level, format, destination: { write: (line) => log(line.trimEnd()) } });
}

/** Readable lines in development and on a terminal, JSON lines otherwise, unless told. */
export function defaultLogFormat(env: string, explicit?: LogFormat): LogFormat {
  if (explicit) return explicit;
  return env === 'development' || process.stdout.isTTY ? 'pretty' : 'json';
}
