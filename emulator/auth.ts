import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { EmulatorConfig } from './context';
import { EmulatorError } from './errors';

const authError = (code: string, message: string) =>
  new EmulatorError(401, 'authentication_error', code, message);

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  if (match?.[1]) return match[1].trim();
  const alt = req.headers['x-recur-secret-key'];
  return typeof alt === 'string' && alt.trim() ? alt.trim() : undefined;
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function authenticateApiKey(req: IncomingMessage, config: EmulatorConfig): void {
  const key = bearer(req);
  if (!key) {
    throw authError(
      'missing_api_key',
      'No API key provided. Send "Authorization: Bearer sk_test_…" or "X-Recur-Secret-Key".',
    );
  }
  if (key.startsWith('sk_live_')) {
    throw authError(
      'live_key_not_allowed',
      'This is the Recur emulator: it takes test keys (sk_test_…) only. Never send a live key here.',
    );
  }
  if (!config.secretKeys.some((accepted) => sameSecret(accepted, key))) {
    throw authError('invalid_api_key', 'Invalid API key provided.');
  }
}

export function authenticateAdmin(req: IncomingMessage, config: EmulatorConfig): void {
  const token = req.headers['x-emulator-admin-token'];
  if (typeof token !== 'string' || token === '') {
    if (bearer(req)) {
      throw new EmulatorError(
        403,
        'permission_error',
        'admin_token_required',
        'Admin endpoints do not accept API keys; send X-Emulator-Admin-Token.',
      );
    }
    throw authError('missing_admin_token', 'Send the X-Emulator-Admin-Token header.');
  }
  if (!sameSecret(token, config.adminToken)) {
    throw new EmulatorError(403, 'permission_error', 'invalid_admin_token', 'Invalid admin token.');
  }
}
