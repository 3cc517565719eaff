import { describe, expect, it } from 'vitest';
import { isLocalAppUrl } from './local-url';

describe('isLocalAppUrl', () => {
  it.each([
    'http://localhost:3000',
    'http://localhost',
    'https://LOCALHOST:8443/',
    'http://app.localhost:3000',
    'http://127.0.0.1:3000',
    'http://127.5.6.7',
    'http://[::1]:3000',
  ])('%s is local', (url) => {
    expect(isLocalAppUrl(url)).toBe(true);
  });

  it.each([
    'https://app.example.com',
    'http://localhost.example.com',
    'http://example.localhost.evil.com',
    'http://10.0.0.5:3000',
    'http://192.168.1.10',
    'http://0.0.0.0:3000',
    'http://[::]:3000',
    'http://128.0.0.1',
    'not a url',
    '',
  ])('%s is not local', (url) => {
    expect(isLocalAppUrl(url)).toBe(false);
  });
});
