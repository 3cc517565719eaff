import type { Messages } from './i18n/messages';
import { isAppClientError } from './trpc';

export interface DescribedError {
  /** A message for the whole form (or page). */
  message: string | null;
  /** Messages for individual fields, keyed by input name. */
  fields: Record<string, string>;
}

/** Turns a tRPC error into messages in the user's language, placed where they belong. */
export function describeError(error: unknown, t: Messages): DescribedError {
  if (!isAppClientError(error)) return { message: t.errors.generic, fields: {} };
  const data = error.data;
  if (!data) return { message: t.errors.network, fields: {} };
  switch (data.reason) {
    case 'invalid_input': {
      const fields: Record<string, string> = {};
      if (data.fieldErrors?.email) fields.email = t.errors.invalidEmail;
      if (data.fieldErrors?.password) fields.password = t.errors.passwordLength;
      return { message: Object.keys(fields).length ? null : error.message, fields };
    }
    case 'email_taken':
      return { message: null, fields: { email: t.errors.emailTaken } };
    case 'invalid_credentials':
      return { message: t.errors.invalidCredentials, fields: {} };
    case 'unauthenticated':
      return { message: t.errors.unauthenticated, fields: {} };
    case 'rate_limited':
      return { message: t.errors.rateLimited(data.retryAfterSeconds ?? 60), fields: {} };
    default:
      return { message: t.errors.generic, fields: {} };
  }
}
