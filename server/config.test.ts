import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('runs with no configuration at all: embedded database, local emulator, port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      appUrl: 'http://localhost:3000',
      secureCookies: false,
      databaseUrl: undefined,
      recur: { mode: 'emulator', emulatorPort: 4010 },
      recurTimeoutMs: 10_000,
    });
  });

  it('uses the real Recur API when a secret key is set', () => {
    const config = loadConfig({ RECUR_SECRET_KEY: 'sk_test_abc123' });
    expect(config.recur).toEqual({
      mode: 'remote',
      secretKey: 'sk_test_abc123',
      apiUrl: 'https://api.recur.tw',
    });
  });

  it('marks cookies Secure for an https APP_URL and drops its trailing slash', () => {
    const config = loadConfig({
      APP_URL: 'https://app.example.com/',
      RECUR_SECRET_KEY: 'sk_test_abc123',
    });
    expect(config.appUrl).toBe('https://app.example.com');
    expect(config.secureCookies).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT must be a port number'],
    [{ PORT: '70000' }, 'PORT must be a port number from 0 to 65535'],
    [{ APP_URL: 'localhost:3000' }, 'APP_URL must start with http:// or https://'],
    [{ APP_URL: 'not a url' }, 'APP_URL must be a URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a postgres:// or postgresql:// URL'],
    [{ RECUR_SECRET_KEY: 'pk_test_abc' }, 'RECUR_SECRET_KEY must be a Recur secret key'],
    [{ RECUR_API_URL: 'https://api.recur.tw' }, 'RECUR_SECRET_KEY is required when RECUR_API_URL'],
    [{ RECUR_TIMEOUT_MS: '5' }, 'RECUR_TIMEOUT_MS must be at least 100 ms'],
    [{ RECUR_WEBHOOK_SECRET: 'secret' }, 'RECUR_WEBHOOK_SECRET must be a Recur webhook secret'],
    [{ NODE_ENV: 'staging' }, 'NODE_ENV'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '10' }, 'HTTP_REQUEST_TIMEOUT_MS must be at least 100 ms'],
    [
      { HTTP_REQUEST_TIMEOUT_MS: '1000', HTTP_HEADERS_TIMEOUT_MS: '2000' },
      'HTTP_HEADERS_TIMEOUT_MS must not be more than HTTP_REQUEST_TIMEOUT_MS',
    ],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS must be a number'],
    [{ HTTP_MAX_CONNECTIONS: '0' }, 'HTTP_MAX_CONNECTIONS must be at least 1'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL must be one of trace, debug, info'],
    [{ LOG_FORMAT: 'xml' }, 'LOG_FORMAT must be json or pretty'],
  ])('names the variable and what is wrong: %o', (env, message) => {
    expect(configError(env)).toContain(message);
  });

  it('refuses the local emulator behind a public APP_URL unless RECUR_EMULATOR=1 says so', () => {
    const message = configError({ NODE_ENV: 'production', APP_URL: 'https://app.example.com' });
    expect(message).toContain('RECUR_SECRET_KEY');
    expect(message).toContain('RECUR_EMULATOR=1');
    const demo = loadConfig({ APP_URL: 'https://demo.example.com', RECUR_EMULATOR: '1' });
    expect(demo.recur.mode).toBe('emulator');
    const real = loadConfig({ APP_URL: 'https://app.example.com', RECUR_SECRET_KEY: 'sk_live_x1' });
    expect(real.recur.mode).toBe('remote');
  });

  it.each([
    {},
    { NODE_ENV: 'production' },
    { NODE_ENV: 'production', PORT: '8080' },
    { NODE_ENV: 'production', APP_URL: 'http://127.0.0.1:3000' },
    { APP_URL: 'http://app.localhost:3000' },
  ])('runs the local emulator for a local APP_URL: %o', (env) => {
    expect(loadConfig(env).recur.mode).toBe('emulator');
  });

  it('takes 0 or 1 for RECUR_EMULATOR, and a key still means real Recur', () => {
    expect(configError({ RECUR_EMULATOR: 'yes' })).toContain('RECUR_EMULATOR must be 0 or 1');
    const keyed = loadConfig({ RECUR_EMULATOR: '1', RECUR_SECRET_KEY: 'sk_test_abc' });
    expect(keyed.recur.mode).toBe('remote');
  });

  it('never repeats a secret value in its message', () => {
    const message = configError({ RECUR_SECRET_KEY: 'sk_test_has-a-dash' });
    expect(message).toContain('RECUR_SECRET_KEY');
    expect(message).not.toContain('has-a-dash');
  });
  it("reads each plan's Recur product id from RECUR_PRODUCT_IDS", () => {
    const config = loadConfig({ RECUR_PRODUCT_IDS: ' starter-plan=prod_abc , pro-plan=prod_def' });
    expect(config.recurProductIds).toEqual({ 'starter-plan': 'prod_abc', 'pro-plan': 'prod_def' });
    expect(loadConfig({}).recurProductIds).toEqual({});
  });

  it.each([
    [
      'a slug that is no plan',
      'gold-plan=prod_x',
      /RECUR_PRODUCT_IDS names "gold-plan", which is not a plan/,
    ],
    ['a pair without an id', 'starter-plan=', /RECUR_PRODUCT_IDS must be plan=productId pairs/],
    [
      'a plan named twice',
      'pro-plan=prod_a,pro-plan=prod_b',
      /RECUR_PRODUCT_IDS names "pro-plan" twice/,
    ],
  ])('refuses RECUR_PRODUCT_IDS with %s', (_, value, message) => {
    expect(configError({ RECUR_PRODUCT_IDS: value })).toMatch(message);
  });
});

describe('mail settings', () => {
  it('without SMTP_URL: the dev mailbox on an ephemeral port', () => {
    expect(loadConfig({}).mail).toEqual({ mode: 'dev', port: 0, from: 'no-reply@localhost' });
    expect(loadConfig({ MAIL_DEV_SMTP_PORT: '2525' }).mail).toMatchObject({ port: 2525 });
  });

  it('with SMTP_URL and MAIL_FROM: real SMTP', () => {
    const config = loadConfig({
      SMTP_URL: 'smtps://user:pass@smtp.example.com:465',
      MAIL_FROM: 'Acme <no-reply@example.com>',
    });
    expect(config.mail).toEqual({
      mode: 'smtp',
      smtpUrl: 'smtps://user:pass@smtp.example.com:465',
      from: 'Acme <no-reply@example.com>',
    });
  });

  it.each([
    [{ SMTP_URL: 'https://smtp.example.com' }, 'SMTP_URL must be an smtp:// or smtps:// URL'],
    [{ SMTP_URL: 'smtp.example.com:587' }, 'SMTP_URL must be an smtp:// or smtps:// URL'],
    [{ SMTP_URL: 'smtp://smtp.example.com' }, 'MAIL_FROM is required when SMTP_URL is set'],
    [{ MAIL_FROM: 'not an address' }, 'MAIL_FROM must be an address'],
    [{ MAIL_FROM: 'Acme <no-reply@example.com' }, 'MAIL_FROM must be an address'],
    [{ MAIL_DEV_SMTP_PORT: '99999' }, 'MAIL_DEV_SMTP_PORT must be a port number'],
  ])('names the variable and what is wrong: %o', (env, message) => {
    expect(configError(env)).toContain(message);
  });

  it('never repeats the SMTP password in its message', () => {
    const message = configError({ SMTP_URL: 'smtpx://mailer:hunter2-secret@smtp.example.com' });
    expect(message).toContain('SMTP_URL');
    expect(message).not.toContain('hunter2');
  });
});
