import { describe, expect, it } from 'vitest';
import { testConfig } from '../../tests/support/test-app';
import { acceptsLoopbackHosts, isAllowedHost } from './host-check';

const production = { appUrl: 'https://app.example.com', loopback: false };
const local = { appUrl: 'http://localhost:3000', loopback: true };

describe('isAllowedHost', () => {
  it.each([
    ['app.example.com', true],
    ['APP.example.com', true],
    ['app.example.com:443', true],
    ['app.example.com:8443', false],
    ['evil.example', false],
    ['app.example.com.evil.example', false],
    ['127.0.0.1:3000', false],
    ['localhost:3000', false],
    [undefined, false],
    ['', false],
  ])('production, APP_URL https://app.example.com: Host %s → %s', (host, expected) => {
    expect(isAllowedHost(host, production)).toBe(expected);
  });

  it.each([
    ['localhost:3000', true],
    ['127.0.0.1:3000', true],
    ['127.0.0.1:54321', true],
    ['[::1]:3000', true],
    ['evil.example:3000', false],
    ['localhost.evil.example:3000', false],
  ])('where loopback hosts are accepted: Host %s → %s', (host, expected) => {
    expect(isAllowedHost(host, local)).toBe(expected);
  });
});

describe('acceptsLoopbackHosts', () => {
  const key = { RECUR_SECRET_KEY: 'sk_live_abc' };
  it('outside production, for a local APP_URL, and with the local emulator', () => {
    expect(acceptsLoopbackHosts(testConfig({ APP_URL: 'https://app.example.com', ...key }))).toBe(
      true,
    );
    expect(acceptsLoopbackHosts(testConfig({ NODE_ENV: 'production', ...key }))).toBe(true);
    expect(
      acceptsLoopbackHosts(
        testConfig({ NODE_ENV: 'production', APP_URL: 'https://demo.example.com' }),
      ),
    ).toBe(true);
  });

  it('not in production on a public APP_URL with real Recur', () => {
    const config = testConfig({
      NODE_ENV: 'production',
      APP_URL: 'https://app.example.com',
      ...key,
    });
    expect(acceptsLoopbackHosts(config)).toBe(false);
  });
});
