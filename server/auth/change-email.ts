// Changing the address of an account: asked for with the current password, it takes effect only
// once a link mailed to the new address is followed; the old address is then told, with a "this
// was not me" link. Nothing in the flow tells whether the new address has an account already
// (docs/decisions/0020-password-and-email-changes.md). The Recur customer link stays as it is.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Tx } from '../../db/create-db';
import { accountTokens, type Locale, users } from '../../db/schema';
import { recordActivity } from '../account/activity';
import { isUniqueViolation } from '../database-errors';
import { emailChangedMail, emailChangeMail, emailInUseMail } from '../mail/security-mails';
import { enforce, rateRules } from '../rate-limit/rules';
import type { AccountChangeDeps, RequestOrigin } from './account-change-deps';
import {
  findUsableToken,
  issueAccountToken,
  revokeAccountTokens,
  spendAccountToken,
  type TokenProblem,
} from './account-tokens';
import { normalizeEmail } from './accounts';
import { checkCurrentPassword } from './current-password';
import { hashPassword } from './password';
import { reservedFor } from './reserved-addresses';

export const EMAIL_CHANGE_HOURS = 24;
export const EMAIL_CHANGE_REPORT_DAYS = 7;

export type EmailChangeRequestResult =
  | { outcome: 'sent'; email: string }
  | { outcome: 'wrong_password' }
  | { outcome: 'same_email' };

/**
 * Mails a confirmation link to the new address; if that address has an account already, its owner
 * gets a neutral note instead. Both cases write the same rows (the link, the activity) and answer
 * the same; the mail goes out in the background.
 */
export async function requestEmailChange(
  deps: AccountChangeDeps,
  input: {
    user: { id: string; email: string; locale: Locale };
    currentPassword: string;
    newEmail: string;
    origin: RequestOrigin;
  },
): Promise<EmailChangeRequestResult> {
  const { user } = input;
  if (!(await checkCurrentPassword(deps, user.id, input.currentPassword))) {
    return { outcome: 'wrong_password' };
  }
  const email = normalizeEmail(input.newEmail);
  if (email === user.email) return { outcome: 'same_email' };
  enforce(await deps.rateLimiter.hit(rateRules.emailChange, user.id));
  // Counted whether or not the address is taken; past it, that inbox gets no more mail.
  const mailAllowed = (await deps.rateLimiter.hit(rateRules.emailChangeAddress, email)).allowed;

  const [registered] = await deps.db
    .select({ locale: users.locale })
    .from(users)
    .where(eq(users.email, email));
  // Both looked up whatever the first finds, so a taken address costs what a free one does.
  const kept = await reservedFor(deps.db, email, new Date(deps.now()));
  const owner = registered ?? kept;
  const token = await deps.db.transaction(async (tx) => {
    const issued = await issueAccountToken(tx, {
      userId: user.id,
      purpose: 'email_change',
      newEmail: email,
      now: new Date(deps.now()),
      validMs: EMAIL_CHANGE_HOURS * 3_600_000,
    });
    await recordActivity(tx, {
      userId: user.id,
      kind: 'email_change_requested',
      detail: { email },
      ...input.origin,
    });
    return issued;
  });
  if (mailAllowed) {
    deps.mailer.sendInBackground(
      owner
        ? emailInUseMail({ to: email, locale: owner.locale, appUrl: deps.appUrl })
        : emailChangeMail({
            to: email,
            locale: user.locale,
            appUrl: deps.appUrl,
            token,
            validHours: EMAIL_CHANGE_HOURS,
          }),
      'address change',
    );
  }
  return { outcome: 'sent', email };
}

export type EmailChangeResult =
  | { outcome: 'changed'; email: string }
  /** The address was given to another account since the link was sent: nothing changed. */
  | { outcome: 'taken' }
  | { outcome: TokenProblem };

class AddressTaken extends Error {}

/**
 * Follows the link sent to the new address: the account takes the address (verified), the old
 * address is mailed a "this was not me" link. Signed in or not, in any browser.
 */
export async function confirmEmailChange(
  deps: AccountChangeDeps,
  input: { token: string; origin: RequestOrigin },
): Promise<EmailChangeResult> {
  const now = new Date(deps.now());
  let changed: { from: string; to: string; locale: Locale; reportToken: string };
  try {
    const result = await deps.db.transaction(async (tx) => {
      const spent = await spendAccountToken(tx, input.token, 'email_change', now);
      if (typeof spent === 'string') return spent;
      const [user] = await tx
        .select({ email: users.email, locale: users.locale })
        .from(users)
        .where(eq(users.id, spent.userId));
      const to = spent.newEmail;
      if (!user || !to) return 'invalid';
      // Rolls back, the spending of the link included: the link says "taken" each time.
      if (await addressTaken(tx, to, spent.userId)) throw new AddressTaken();
      // users.recur_customer_id is left alone: the Recur customer is linked by the user's id.
      await tx
        .update(users)
        .set({ email: to, emailVerifiedAt: now })
        .where(eq(users.id, spent.userId));
      // Links mailed to the address being left stop working with it: a reset link there would
      // otherwise still take over the account under its new address.
      await revokeAccountTokens(tx, spent.userId, ['password_reset', 'email_change']);
      // Earlier "this was not me" links stay valid: a second change must not cancel the first
      // address's way back.
      const reportToken = await issueAccountToken(tx, {
        userId: spent.userId,
        purpose: 'email_change_report',
        newEmail: user.email,
        now,
        validMs: EMAIL_CHANGE_REPORT_DAYS * 86_400_000,
        keepEarlier: true,
      });
      await recordActivity(tx, {
        userId: spent.userId,
        kind: 'email_changed',
        detail: { from: user.email, to },
        ...input.origin,
      });
      return { from: user.email, to, locale: user.locale, reportToken };
    });
    if (typeof result === 'string') return { outcome: result };
    changed = result;
  } catch (error) {
    if (error instanceof AddressTaken || isUniqueViolation(error)) return { outcome: 'taken' };
    throw error;
  }
  deps.mailer.sendInBackground(
    emailChangedMail({
      to: changed.from,
      locale: changed.locale,
      appUrl: deps.appUrl,
      token: changed.reportToken,
      validDays: EMAIL_CHANGE_REPORT_DAYS,
    }),
    'address changed',
  );
  return { outcome: 'changed', email: changed.to };
}

/** Whether a "this was not me" link can still be used, before the user confirms. */
export async function checkEmailChangeReport(
  deps: Pick<AccountChangeDeps, 'db' | 'now'>,
  token: string,
): Promise<'valid' | TokenProblem> {
  const found = await findUsableToken(deps.db, token, 'email_change_report', new Date(deps.now()));
  return typeof found === 'string' ? found : 'valid';
}

export type EmailChangeReportResult =
  /** `restored`: false when the old address has been given to another account since. */
  { outcome: 'reported'; restored: boolean } | { outcome: TokenProblem };

/**
 * "This was not me", from the old address: every session of the account ends, the account gets
 * the old address back (so a password reset reaches its owner), and the links the person who
 * changed it may hold stop working: reset and address-change links, and the "this was not me"
 * links of later changes (which would give their address back).
 */
export async function reportEmailChange(
  deps: AccountChangeDeps,
  input: { token: string; origin: RequestOrigin },
): Promise<EmailChangeReportResult> {
  const now = new Date(deps.now());
  return deps.db.transaction(async (tx): Promise<EmailChangeReportResult> => {
    const spent = await spendAccountToken(tx, input.token, 'email_change_report', now);
    if (typeof spent === 'string') return { outcome: spent };
    const userId = spent.userId;
    const [user] = await tx.select({ email: users.email }).from(users).where(eq(users.id, userId));
    const oldEmail = spent.newEmail;
    if (!user || !oldEmail) return { outcome: 'invalid' };

    let restored = user.email === oldEmail;
    if (!restored && !(await addressTaken(tx, oldEmail, userId))) {
      // A savepoint: an account created with the address at this very moment leaves the rest.
      restored = await tx
        .transaction(async (savepoint) => {
          await savepoint
            .update(users)
            .set({ email: oldEmail, emailVerifiedAt: now })
            .where(eq(users.id, userId));
          return true;
        })
        .catch((error: unknown) => {
          if (isUniqueViolation(error)) return false;
          throw error;
        });
    }
    // Whoever changed the address knew the password: it stops working, and the owner sets a new
    // one through a reset mailed to the address given back.
    await tx
      .update(users)
      .set({ passwordHash: await hashPassword(randomBytes(32).toString('base64url')) })
      .where(eq(users.id, userId));
    await revokeAccountTokens(tx, userId, ['password_reset', 'email_change']);
    await tx
      .delete(accountTokens)
      .where(
        and(
          eq(accountTokens.userId, userId),
          eq(accountTokens.purpose, 'email_change_report'),
          isNull(accountTokens.usedAt),
          gt(accountTokens.createdAt, spent.createdAt),
        ),
      );
    await deps.auth.invalidateUserSessions(userId, { tx });
    await recordActivity(tx, {
      userId,
      kind: 'email_change_reported',
      detail: restored ? { restored: oldEmail } : {},
      ...input.origin,
    });
    return { outcome: 'reported', restored };
  });
}

async function addressTaken(tx: Tx, email: string, exceptUserId: string): Promise<boolean> {
  const [other] = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.email, email), ne(users.id, exceptUserId)));
  return (
    Boolean(other) || (await reservedFor(tx, email, new Date(), { except: exceptUserId })) !== null
  );
}
