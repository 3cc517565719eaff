import { z } from 'zod';
import { type PlanSlug, planSlugs } from './billing/plan-catalogue';
import { isLocalAppUrl } from './local-url';

const optional = (schema: z.ZodString) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

const httpUrl = z
  .string()
  .url('must be a URL such as http://localhost:3000')
  .refine((value) => /^https?:\/\//.test(value), 'must start with http:// or https://');

const port = z.coerce
  .number({ error: 'must be a port number' })
  .int('must be a whole port number')
  .min(0, 'must be a port number from 0 to 65535')
  .max(65535, 'must be a port number from 0 to 65535');

const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);

const milliseconds = (min: number, max: number) =>
  z.coerce
    .number({ error: 'must be a number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(min, `must be at least ${min} ms`)
    .max(max, `must be at most ${max} ms`);

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    APP_URL: optional(httpUrl),
    DATABASE_URL: optional(
      z
        .string()
        .refine(
          (value) => /^postgres(ql)?:\/\/.+/.test(value),
          'must be a postgres:// or postgresql:// URL',
        ),
    ),
    PGLITE_DATA_DIR: z.string().min(1).default('./.data/pglite'),
    RECUR_SECRET_KEY: optional(
      z
        .string()
        .regex(
          /^sk_(test|live)_[A-Za-z0-9_]+$/,
          'must be a Recur secret key (sk_test_… or sk_live_…)',
        ),
    ),
    RECUR_API_URL: optional(httpUrl),
    RECUR_PORTAL_CONFIGURATION_ID: optional(z.string().min(1)),
    RECUR_PRODUCT_IDS: optional(z.string()).transform((value, ctx) => {
      const ids = parseProductIds(value ?? '');
      if (typeof ids === 'string') {
        ctx.addIssue({ code: 'custom', message: ids });
        return z.NEVER;
      }
      return ids;
    }),
    RECUR_TIMEOUT_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int('must be a whole number of milliseconds')
      .min(100, 'must be at least 100 ms')
      .max(120_000, 'must be at most 120000 ms')
      .default(10_000),
    RECUR_WEBHOOK_SECRET: optional(
      z.string().regex(/^whsec_\S+$/, 'must be a Recur webhook secret (whsec_…)'),
    ),
    RECUR_EMULATOR_PORT: port.default(4010),
    // 1 allows the emulator on a public APP_URL (a public demo); a key, when set, still wins.
    RECUR_EMULATOR: z.preprocess(
      blankAsUnset,
      z.enum(['0', '1'], { error: 'must be 0 or 1' }).default('0'),
    ),
    RATE_LIMIT_SCALE: z.coerce
      .number({ error: 'must be a number' })
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000')
      .default(1),
    HTTP_REQUEST_TIMEOUT_MS: milliseconds(100, 600_000).default(30_000),
    HTTP_HEADERS_TIMEOUT_MS: milliseconds(100, 600_000).default(15_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: milliseconds(100, 600_000).default(5_000),
    HTTP_MAX_CONNECTIONS: z.coerce
      .number({ error: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be at least 1')
      .default(1_000),
    LOG_LEVEL: z.preprocess(
      blankAsUnset,
      z
        .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
          error: 'must be one of trace, debug, info, warn, error, fatal, silent',
        })
        .default('info'),
    ),
    LOG_FORMAT: z.preprocess(
      blankAsUnset,
      z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).optional(),
    ),
    TRUST_PROXY: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
    // Mail (server/mail/): SMTP_URL unset means the in-process dev mailbox.
    SMTP_URL: optional(
      z.string().refine(isSmtpUrl, 'must be an smtp:// or smtps:// URL such as smtp://host:587'),
    ),
    MAIL_FROM: optional(
      z
        .string()
        .refine(
          isMailFrom,
          'must be an address, or a name and <address>, e.g. Acme <no-reply@example.com>',
        ),
    ),
    MAIL_DEV_SMTP_PORT: port.default(0),
  })
  .superRefine((env, ctx) => {
    if (env.SMTP_URL && !env.MAIL_FROM) {
      ctx.addIssue({
        code: 'custom',
        path: ['MAIL_FROM'],
        message: 'is required when SMTP_URL is set (the sender your mail server accepts)',
      });
    }
    if (env.RECUR_API_URL && !env.RECUR_SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECUR_SECRET_KEY'],
        message:
          'is required when RECUR_API_URL is set (leave both unset to use the local emulator)',
      });
    }
    // Production guard: without a key the app runs the emulator and offers a demo login, which
    // must never happen on a public address by accident.
    const appUrl = env.APP_URL ?? `http://localhost:${env.PORT}`;
    if (!env.RECUR_SECRET_KEY && env.RECUR_EMULATOR !== '1' && !isLocalAppUrl(appUrl)) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECUR_SECRET_KEY'],
        message: `is required when APP_URL (${appUrl}) is not a local address: without it billing runs on the local Recur emulator with a demo account. Set RECUR_SECRET_KEY, or RECUR_EMULATOR=1 to run a public demo on the emulator on purpose`,
      });
    }
    if (env.HTTP_HEADERS_TIMEOUT_MS > env.HTTP_REQUEST_TIMEOUT_MS) {
      ctx.addIssue({
        code: 'custom',
        path: ['HTTP_HEADERS_TIMEOUT_MS'],
        message:
          'must not be more than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  /** pino's level; the format when set (else pretty in development and on a terminal, else JSON). */
  logging: { level: Env['LOG_LEVEL']; format: 'json' | 'pretty' | undefined };
  /** Limits of the HTTP server (Node's server.requestTimeout and friends). */
  http: {
    requestTimeoutMs: number;
    headersTimeoutMs: number;
    keepAliveTimeoutMs: number;
    maxConnections: number;
  };
  /** The public origin of the app, without a trailing slash. */
  appUrl: string;
  /** Cookies get `Secure` whenever the app is served over HTTPS. */
  secureCookies: boolean;
  databaseUrl: string | undefined;
  pgliteDataDir: string;
  recur:
    | { mode: 'remote'; secretKey: string; apiUrl: string }
    | { mode: 'emulator'; emulatorPort: number };
  recurPortalConfigurationId: string | undefined;
  /** Each plan's Recur product id (`prod_…`), where configured; others go by slug. */
  recurProductIds: Partial<Record<PlanSlug, string>>;
  recurTimeoutMs: number;
  recurWebhookSecret: string | undefined;
  /** Multiplies every rate limit; 1 in production. */
  rateLimitScale: number;
  /** Read the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
  /** `smtp`: SMTP_URL; `dev`: an in-process SMTP server whose mail /dev/mailbox shows. */
  mail:
    | { mode: 'smtp'; smtpUrl: string; from: string }
    | { mode: 'dev'; port: number; from: string };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; a wrong value throws a ConfigError naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')} ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  const appUrl = (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logging: { level: env.LOG_LEVEL, format: env.LOG_FORMAT },
    http: {
      requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS,
      keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: env.HTTP_MAX_CONNECTIONS,
    },
    appUrl,
    secureCookies: appUrl.startsWith('https://'),
    databaseUrl: env.DATABASE_URL,
    pgliteDataDir: env.PGLITE_DATA_DIR,
    recur: env.RECUR_SECRET_KEY
      ? {
          mode: 'remote',
          secretKey: env.RECUR_SECRET_KEY,
          apiUrl: (env.RECUR_API_URL ?? 'https://api.recur.tw').replace(/\/+$/, ''),
        }
      : { mode: 'emulator', emulatorPort: env.RECUR_EMULATOR_PORT },
    recurPortalConfigurationId: env.RECUR_PORTAL_CONFIGURATION_ID,
    recurProductIds: env.RECUR_PRODUCT_IDS,
    recurTimeoutMs: env.RECUR_TIMEOUT_MS,
    recurWebhookSecret: env.RECUR_WEBHOOK_SECRET,
    rateLimitScale: env.RATE_LIMIT_SCALE,
    trustProxy: env.TRUST_PROXY,
    mail: env.SMTP_URL
      ? { mode: 'smtp', smtpUrl: env.SMTP_URL, from: env.MAIL_FROM ?? '' }
      : { mode: 'dev', port: env.MAIL_DEV_SMTP_PORT, from: env.MAIL_FROM ?? 'no-reply@localhost' },
  };
}

/**
 * `starter-plan=prod_abc,pro-plan=prod_def`: each plan slug of the catalogue with its Recur
 * product id. Returns the ids, or a message saying what is wrong.
 */
function parseProductIds(value: string): Partial<Record<PlanSlug, string>> | string {
  const ids: Partial<Record<PlanSlug, string>> = {};
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [slug, id, extra] = entry.split('=').map((part) => part.trim());
    if (!slug || !id || extra !== undefined || !/^[A-Za-z0-9_-]+$/.test(id)) {
      return `must be plan=productId pairs separated by commas (got "${entry}")`;
    }
    if (!planSlugs.includes(slug as PlanSlug)) {
      return `names "${slug}", which is not a plan (plans: ${planSlugs.join(', ')})`;
    }
    if (ids[slug as PlanSlug]) return `names "${slug}" twice`;
    ids[slug as PlanSlug] = id;
  }
  return ids;
}

function isSmtpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isMailFrom(value: string): boolean {
  const address = /^[^\s@<>"]+@[^\s@<>"]+$/;
  const named = /^[^<>\r\n]*<([^\s@<>"]+@[^\s@<>"]+)>$/.exec(value.trim());
  return address.test(value.trim()) || named !== null;
}
