import type { Messages } from './i18n/messages';
import { isAppClientError } from './trpc';

export interface DescribedError {
  /** A message for the whole form (or page). */
  message: string | null;
  /** Messages for individual fields, keyed by input name. */
  fields: Record<string, string>;
}

/**
 * Turns a tRPC error into messages in the user's language, placed where they belong. On the
 * sign-in form (`form: 'sign-in'`) a password the server refuses as input is simply a wrong one:
 * the sign-up rules are not the question there.
 */
export function describeError(
  error: unknown,
  t: Messages,
  options: { form?: 'sign-in' } = {},
): DescribedError {
  if (!isAppClientError(error)) return { message: t.errors.generic, fields: {} };
  const data = error.data;
  if (!data) return { message: t.errors.network, fields: {} };
  switch (data.reason) {
    case 'invalid_input': {
      const fields: Record<string, string> = {};
      if (data.fieldErrors?.email) fields.email = t.errors.invalidEmail;
      if (data.fieldErrors?.password && options.form === 'sign-in' && !fields.email) {
        return { message: t.errors.invalidCredentials, fields };
      }
      if (data.fieldErrors?.password && options.form !== 'sign-in') {
        fields.password = t.errors.passwordLength;
      }
      return { message: Object.keys(fields).length ? null : error.message, fields };
    }
    case 'weak_password':
      return {
        message: null,
        fields: { password: describeWeakPassword(data.passwordFeedback, t) },
      };
    case 'mail_unavailable':
      return { message: t.emailBanner.unavailable, fields: {} };
    case 'invalid_credentials':
      return { message: t.errors.invalidCredentials, fields: {} };
    case 'unauthenticated':
      return { message: t.errors.unauthenticated, fields: {} };
    case 'email_unverified':
      return { message: t.pricing.verifyEmailFirst, fields: {} };
    case 'already_subscribed':
      return { message: t.pricing.alreadySubscribed, fields: {} };
    case 'billing_email_conflict':
      return { message: t.pricing.emailConflict, fields: {} };
    case 'checkout_in_progress':
      return { message: t.pricing.checkoutInProgress, fields: {} };
    case 'rate_limited':
      return { message: t.errors.rateLimited(data.retryAfterSeconds ?? 60), fields: {} };
    default:
      return { message: t.errors.generic, fields: {} };
  }
}

/**
 * zxcvbn's reasons (sent by the server as keys) in the user's language; `texts` is
 * client/i18n/password-feedback.ts, loaded on demand (until then, the first sentence only).
 */
export function describeWeakPassword(
  feedback: { warning: string | null; suggestions: string[] } | null | undefined,
  t: Messages,
  texts?: { warnings: Record<string, string>; suggestions: Record<string, string> },
): string {
  if (!texts) return t.passwordStrength.tooWeak;
  const reasons = [
    feedback?.warning ? texts.warnings[feedback.warning] : undefined,
    ...(feedback?.suggestions ?? []).map((key) => texts.suggestions[key]),
  ].filter((text): text is string => Boolean(text));
  return [
    t.passwordStrength.tooWeak,
    ...(reasons.length ? reasons : [t.passwordStrength.fallback]),
  ].join(t.passwordStrength.separator);
}
