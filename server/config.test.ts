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
    const config = loadConfig({ APP_URL: 'https://app.example.com/' });
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
  ])('names the variable and what is wrong: %o', (env, message) => {
    expect(configError(env)).toContain(message);
  });

  it('never repeats a secret value in its message', () => {
    const message = configError({ RECUR_SECRET_KEY: 'sk_test_has-a-dash' });
    expect(message).toContain('RECUR_SECRET_KEY');
    expect(message).not.toContain('has-a-dash');
  });
});
