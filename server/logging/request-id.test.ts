import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestIdOf } from './request-id';

const request = (id?: string) =>
  ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as unknown as IncomingMessage;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('requestIdOf', () => {
  it('takes X-Request-Id from a trusted proxy', () => {
    expect(requestIdOf(request('abc-123.x:y_z'), true)).toBe('abc-123.x:y_z');
  });

  it('generates one without a trusted proxy, whatever the client sent', () => {
    expect(requestIdOf(request('abc-123'), false)).toMatch(UUID);
    expect(requestIdOf(request(), true)).toMatch(UUID);
  });

  it('generates one for an id that could break a log line or a header', () => {
    for (const id of ['a b', 'x\r\ny', 'a'.repeat(200), '', '{"json":1}']) {
      expect(requestIdOf(request(id), true)).toMatch(UUID);
    }
  });
});
