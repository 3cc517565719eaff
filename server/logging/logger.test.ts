import { describe, expect, it } from 'vitest';
import { createLogger, withRequestId } from './logger';

function collect(format: 'json' | 'pretty', level: 'debug' | 'info' | 'warn' = 'info') {
  const lines: string[] = [];
  const logger = createLogger({
    level,
    format,
    destination: { write: (chunk: string) => void lines.push(...chunk.trimEnd().split('\n')) },
  });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per line, with level, time, pid, host and message', () => {
    const { logger, lines } = collect('json');
    logger.info({ status: 200 }, 'GET / 200 1.0ms');
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0] ?? '');
    expect(entry).toMatchObject({ level: 'info', msg: 'GET / 200 1.0ms', status: 200 });
    expect(entry.time).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(typeof entry.pid).toBe('number');
    expect(typeof entry.hostname).toBe('string');
  });

  it('has levels: below the configured one nothing is written', () => {
    const { logger, lines } = collect('json', 'warn');
    logger.debug('debug');
    logger.info('info');
    logger.warn('warn');
    logger.error('error');
    expect(lines.map((line) => JSON.parse(line).level)).toEqual(['warn', 'error']);
  });

  it('redacts cookies, authorization headers, tokens, passwords and keys', () => {
    const { logger, lines } = collect('json');
    logger.info(
      {
        req: { headers: { cookie: 'session=abc123', authorization: 'Bearer sk_test_h1dden' } },
        res: { headers: { 'set-cookie': 'session=abc123; HttpOnly' } },
        headers: { cookie: 'session=abc123', 'x-recur-signature': 'c2lnbmF0dXJl' },
        token: 'tok_h1dden',
        formToken: 'form_h1dden',
        password: 'pass_h1dden',
        secretKey: 'sk_test_h1dden',
        webhookSecret: 'whsec_h1dden',
        apiKey: 'key_h1dden',
        user: { password: 'nested_h1dden', email: 'someone@example.com' },
      },
      'a request',
    );
    const text = lines.join('\n');
    expect(text).not.toMatch(/h1dden|abc123|c2lnbmF0dXJl/);
    expect(text).toContain('[redacted]');
    expect(text).toContain('someone@example.com');
  });

  it('scrubs Recur keys, webhook secrets and session cookies out of messages too', () => {
    const { logger, lines } = collect('json');
    logger.warn('called with sk_test_AbC123 and whsec_xyz, cookie session=abc123def');
    const text = lines.join('\n');
    expect(text).not.toMatch(/AbC123|whsec_xyz|abc123def/);
    expect(text).toContain('sk_test_[redacted]');
  });

  it('adds the request id of the request being handled', () => {
    const { logger, lines } = collect('json');
    withRequestId('req-42', () => logger.info('inside'));
    logger.info('outside');
    expect(JSON.parse(lines[0] ?? '').reqId).toBe('req-42');
    expect(JSON.parse(lines[1] ?? '').reqId).toBeUndefined();
  });

  it('writes readable lines in the pretty format', () => {
    const { logger, lines } = collect('pretty');
    withRequestId('req-7', () =>
      logger.warn({ status: 503, token: 'tok_h1dden' }, 'Recur unavailable'),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}Recur unavailable {2}/);
    expect(lines[0]).toContain('status=503');
    expect(lines[0]).toContain('reqId=req-7');
    expect(lines[0]).not.toContain('h1dden');
    expect(lines[0]).not.toContain('{"');
  });
});
