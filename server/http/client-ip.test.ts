import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp } from './client-ip';

const request = (forwarded: string | undefined) =>
  ({
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    socket: { remoteAddress: '10.0.0.5' },
  }) as unknown as IncomingMessage;

describe('clientIp', () => {
  it('uses the socket address unless told there is a proxy', () => {
    expect(clientIp(request('198.51.100.7'), false)).toBe('10.0.0.5');
  });

  it('behind a proxy, takes the address the proxy appended, not what the client wrote', () => {
    expect(clientIp(request('6.6.6.6, 203.0.113.9'), true)).toBe('203.0.113.9');
    expect(clientIp(request('203.0.113.9'), true)).toBe('203.0.113.9');
    expect(clientIp(request(undefined), true)).toBe('10.0.0.5');
  });
});
