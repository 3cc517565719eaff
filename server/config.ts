import { z } from 'zod';

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
    RATE_LIMIT_SCALE: z.coerce
      .number({ error: 'must be a number' })
      .min(1, 'must be at least 1')
      .max(1_000_000, 'must be at most 1000000')
      .default(1),
    TRUST_PROXY: z
      .enum(['true', 'false'], { error: 'must be true or false' })
      .default('false')
      .transform((value) => value === 'true'),
  })
  .superRefine((env, ctx) => {
    if (env.RECUR_API_URL && !env.RECUR_SECRET_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['RECUR_SECRET_KEY'],
        message:
          'is required when RECUR_API_URL is set (leave both unset to use the local emulator)',
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
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
  recurTimeoutMs: number;
  recurWebhookSecret: string | undefined;
  /** Multiplies every rate limit; 1 in production. */
  rateLimitScale: number;
  /** Read the client IP from X-Forwarded-For (only behind a proxy that sets it). */
  trustProxy: boolean;
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
    recurTimeoutMs: env.RECUR_TIMEOUT_MS,
    recurWebhookSecret: env.RECUR_WEBHOOK_SECRET,
    rateLimitScale: env.RATE_LIMIT_SCALE,
    trustProxy: env.TRUST_PROXY,
  };
}
