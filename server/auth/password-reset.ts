// "Forgot password": a single-use link by mail, for an hour, that sets a new password, ends every
// session of the account and proves the address (docs/decisions/0020-password-and-email-changes.md).
// Asking answers the same whether or not the address is registered.
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema';
import { recordActivity } from '../account/activity';
import { passwordChangedMail, passwordResetMail } from '../mail/security-mails';
import type { AccountChangeDeps, RequestOrigin } from './account-change-deps';
import {
  findUsableToken,
  issueAccountToken,
  revokeAccountTokens,
  spendAccountToken,
  type TokenProblem,
} from './account-tokens';
import { normalizeEmail } from './accounts';
import { hashPassword } from './password';
import { checkPasswordStrength, type PasswordVerdict } from './password-strength';

export const PASSWORD_RESET_MINUTES = 60;

/**
 * Mails a reset link if the address has an account, else does nothing; the caller answers the
 * same either way. Both cases run the same statements (the link is written through a select of
 * the user's row, which finds none for an unknown address), and the mail goes out in the
 * background, so neither the answer nor its timing tells them apart.
 */
export async function requestPasswordReset(deps: AccountChangeDeps, email: string): Promise<void> {
  const [user] = await deps.db
    .select({ id: users.id, email: users.email, locale: users.locale })
    .from(users)
    .where(eq(users.email, normalizeEmail(email)));
  const token = await deps.db.transaction((tx) =>
    issueAccountToken(tx, {
      userId: user?.id ?? NO_USER,
      purpose: 'password_reset',
      now: new Date(deps.now()),
      validMs: PASSWORD_RESET_MINUTES * 60_000,
    }),
  );
  if (!user) return;
  deps.mailer.sendInBackground(
    passwordResetMail({
      to: user.email,
      locale: user.locale,
      appUrl: deps.appUrl,
      token,
      validMinutes: PASSWORD_RESET_MINUTES,
    }),
    'password reset',
  );
}

/** A user id no account has (ids are UUIDs). */
const NO_USER = 'no-user';

/** Whether a reset link can still be used, before the user types a new password. */
export async function checkPasswordResetLink(
  deps: Pick<AccountChangeDeps, 'db' | 'now'>,
  token: string,
): Promise<'valid' | TokenProblem> {
  const found = await findUsableToken(deps.db, token, 'password_reset', new Date(deps.now()));
  return typeof found === 'string' ? found : 'valid';
}

export type PasswordResetResult =
  | { outcome: 'reset' }
  | { outcome: TokenProblem }
  | { outcome: 'weak'; verdict: Extract<PasswordVerdict, { strong: false }> };

/**
 * Sets the new password with the link, and in the same transaction: spends the link, marks the
 * address verified (the link proves the user receives mail there), revokes the user's other reset
 * and address-change links, ends every session and records the activity.
 */
export async function resetPassword(
  deps: AccountChangeDeps,
  input: { token: string; password: string; origin: RequestOrigin },
): Promise<PasswordResetResult> {
  const now = new Date(deps.now());
  const found = await findUsableToken(deps.db, input.token, 'password_reset', now);
  if (typeof found === 'string') return { outcome: found };
  const [owner] = await deps.db
    .select({ email: users.email, displayName: users.displayName })
    .from(users)
    .where(eq(users.id, found.userId));
  if (!owner) return { outcome: 'invalid' };
  const verdict = await checkPasswordStrength(input.password, [owner.email, owner.displayName]);
  if (!verdict.strong) return { outcome: 'weak', verdict };
  const passwordHash = await hashPassword(input.password);

  const done = await deps.db.transaction(async (tx) => {
    const spent = await spendAccountToken(tx, input.token, 'password_reset', now);
    if (typeof spent === 'string') return spent;
    const [user] = await tx
      .select({ email: users.email, locale: users.locale, verifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, spent.userId));
    if (!user) return 'invalid';
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: user.verifiedAt ?? now })
      .where(eq(users.id, spent.userId));
    // An address change asked for with the old password must not go through after a reset.
    await revokeAccountTokens(tx, spent.userId, ['password_reset', 'email_change']);
    await deps.auth.invalidateUserSessions(spent.userId, { tx });
    const origin = input.origin;
    await recordActivity(tx, { userId: spent.userId, kind: 'password_reset', ...origin });
    if (!user.verifiedAt) {
      await recordActivity(tx, {
        userId: spent.userId,
        kind: 'email_verified',
        detail: { via: 'password_reset' },
        ...origin,
      });
    }
    return user;
  });
  if (typeof done === 'string') return { outcome: done };
  deps.mailer.sendInBackground(
    passwordChangedMail({ to: done.email, locale: done.locale, appUrl: deps.appUrl, how: 'reset' }),
    'password changed',
  );
  return { outcome: 'reset' };
}
