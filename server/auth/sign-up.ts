// Sign-up that does not tell whether an address is registered: a new address gets an account and
// a verification mail, a registered one gets a mail to its owner instead, and the caller answers
// both the same way (docs/decisions/0015-sign-up-reveals-no-account.md).
import type { Db } from '../../db/create-db';
import type { Locale } from '../../db/schema';
import { signUpAttemptMail, verificationMail } from '../mail/account-mails';
import type { Mailer } from '../mail/mailer';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { rateRules } from '../rate-limit/rules';
import { registerAccount, type SignUpInput } from './accounts';
import { issueVerificationToken, VERIFICATION_TOKEN_HOURS } from './email-verification';

export interface AccountMailDeps {
  db: Db;
  mailer: Mailer;
  rateLimiter: RateLimiter;
  appUrl: string;
  now: () => number;
}

/**
 * Registers the address, or tells its owner that someone tried to. Mail goes out in the
 * background: a mail server that is down or slow changes neither the outcome nor the timing.
 */
export async function signUp(
  deps: AccountMailDeps,
  input: SignUpInput,
  browserSecret: string,
): Promise<void> {
  const registration = await registerAccount(deps.db, input);
  const email = registration.created ? registration.email : registration.existing.email;
  // Counted for both outcomes, so both cost the same queries; it only gates the owner's mail.
  const notice = await deps.rateLimiter.hit(rateRules.signUpNotice, email);
  if (registration.created) {
    await sendVerificationMail(deps, registration, { browserSecret, wait: false });
  } else if (notice.allowed) {
    const { existing } = registration;
    deps.mailer.sendInBackground(
      signUpAttemptMail({ to: existing.email, locale: existing.locale, appUrl: deps.appUrl }),
      'sign-up attempt',
    );
  }
}

/**
 * Issues a new verification link (the user's earlier ones stop working) and mails it. With
 * `wait`, a failed send rejects (MailDeliveryError) so the user can be told to try again.
 */
export async function sendVerificationMail(
  deps: AccountMailDeps,
  user: { id: string; email: string; locale: Locale },
  options: { browserSecret?: string; wait: boolean },
): Promise<void> {
  const token = await issueVerificationToken(deps.db, {
    userId: user.id,
    email: user.email,
    now: new Date(deps.now()),
    ...(options.browserSecret ? { browserSecret: options.browserSecret } : {}),
  });
  const mail = verificationMail({
    to: user.email,
    locale: user.locale,
    appUrl: deps.appUrl,
    token,
    validHours: VERIFICATION_TOKEN_HOURS,
  });
  if (options.wait) await deps.mailer.send(mail);
  else deps.mailer.sendInBackground(mail, 'verification');
}
