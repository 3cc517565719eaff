// Changing the password while signed in: the current one is required, the new one must be hard
// to guess; every other session ends and the address on the account is told.
import { eq } from 'drizzle-orm';
import type { Locale } from '../../db/schema';
import { users } from '../../db/schema';
import { recordActivity } from '../account/activity';
import { passwordChangedMail } from '../mail/security-mails';
import type { AccountChangeDeps, RequestOrigin } from './account-change-deps';
import { revokeAccountTokens } from './account-tokens';
import { checkCurrentPassword } from './current-password';
import { hashPassword } from './password';
import { checkPasswordStrength, type PasswordVerdict } from './password-strength';

export type PasswordChangeResult =
  | { outcome: 'changed' }
  | { outcome: 'wrong_password' }
  | { outcome: 'weak'; verdict: Extract<PasswordVerdict, { strong: false }> };

export async function changePassword(
  deps: AccountChangeDeps,
  input: {
    user: { id: string; email: string; displayName: string; locale: Locale };
    /** The session making the change: it stays signed in. */
    sessionId: string;
    currentPassword: string;
    password: string;
    origin: RequestOrigin;
  },
): Promise<PasswordChangeResult> {
  const { user } = input;
  if (!(await checkCurrentPassword(deps, user.id, input.currentPassword))) {
    return { outcome: 'wrong_password' };
  }
  const verdict = await checkPasswordStrength(input.password, [user.email, user.displayName]);
  if (!verdict.strong) return { outcome: 'weak', verdict };
  const passwordHash = await hashPassword(input.password);

  await deps.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    // Links asked for with the old password (a reset, an address change) stop working.
    await revokeAccountTokens(tx, user.id, ['password_reset', 'email_change']);
    await deps.auth.invalidateUserSessions(user.id, { except: input.sessionId, tx });
    await recordActivity(tx, { userId: user.id, kind: 'password_changed', ...input.origin });
  });
  deps.mailer.sendInBackground(
    passwordChangedMail({
      to: user.email,
      locale: user.locale,
      appUrl: deps.appUrl,
      how: 'changed',
    }),
    'password changed',
  );
  return { outcome: 'changed' };
}
