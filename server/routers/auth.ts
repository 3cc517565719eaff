import { z } from 'zod';
import { locales } from '../../db/schema';
import { DEMO_ACCOUNT, hasDemoAccount } from '../../db/seed';
import { recordActivity } from '../account/activity';
import { recordFailedSignIn } from '../account/failed-sign-in';
import { updateProfile } from '../account/profile';
import { AccountError, normalizeEmail, verifyCredentials } from '../auth/accounts';
import { matchesHash, newSecret, verifyEmailWithToken } from '../auth/email-verification';
import { checkPasswordStrength } from '../auth/password-strength';
import { rotateSession } from '../auth/session-rotation';
import { sendVerificationMail, signUp } from '../auth/sign-up';
import { clearSignUpCookie, readSignUpCookies, signUpCookie } from '../auth/sign-up-cookie';
import { MailDeliveryError } from '../mail/mailer';
import { enforce, rateRules, SIGN_IN_BACKOFF, tooManyRequests } from '../rate-limit/rules';
import { type AppDeps, deviceOf } from '../trpc/context';
import { AppError } from '../trpc/errors';
import { protectedProcedure, publicProcedure, router } from '../trpc/init';

const email = z
  .string()
  .trim()
  .max(254, 'Email is too long.')
  .pipe(z.email('Enter a valid email address.'));

// CUSTOMIZE: the password policy (OWASP: at least 8 characters, allow at least 64). Sign-up also
// refuses a password that is easy to guess (server/auth/password-strength.ts).
const credentials = z.strictObject({
  email,
  password: z
    .string()
    .min(8, 'Password must be at least 8 characters.')
    .max(128, 'Password must be at most 128 characters.'),
});

const signUpInput = credentials.extend({
  displayName: z
    .string()
    .trim()
    .min(1)
    .max(80, 'Display name is too long.')
    .regex(/^[^\p{Cc}]*$/u, 'Display name cannot contain control characters.')
    .optional(),
  locale: z.enum(locales).optional(),
});

function toAppError(error: unknown): never {
  if (error instanceof AccountError) {
    throw new AppError({ code: 'UNAUTHORIZED', reason: error.code, message: error.message });
  }
  throw error;
}

async function requireStrongPassword(input: z.infer<typeof signUpInput>): Promise<void> {
  const verdict = await checkPasswordStrength(input.password, [input.email, input.displayName]);
  if (!verdict.strong) {
    throw new AppError({
      code: 'BAD_REQUEST',
      reason: 'weak_password',
      message: verdict.message,
      passwordFeedback: verdict.feedback,
    });
  }
}

const accountMailDeps = (deps: AppDeps) => ({ ...deps, appUrl: deps.config.appUrl });

export const authRouter = router({
  /**
   * The same answer whether or not the address is registered: `{ ok: true }` and a sign-up
   * cookie (server/auth/sign-up-cookie.ts). No session: the verification link signs in.
   */
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    enforce(await ctx.deps.rateLimiter.hit(rateRules.signUp, ctx.clientIp));
    await requireStrongPassword(input);
    const browserSecret = newSecret();
    await signUp(accountMailDeps(ctx.deps), input, browserSecret);
    ctx.setCookie(signUpCookie(browserSecret, ctx.deps.config.secureCookies));
    return { ok: true as const };
  }),

  /** Opens a verification link. Signed in or not; the browser that signed up gets signed in. */
  verifyEmail: publicProcedure
    .input(z.strictObject({ token: z.string().max(200) }))
    .mutation(async ({ ctx, input }) => {
      const { db, auth, config, now } = ctx.deps;
      const result = await verifyEmailWithToken(db, input.token, new Date(now()), deviceOf(ctx));
      if (result.outcome !== 'verified') return { outcome: result.outcome, signedIn: false };
      if (ctx.user?.id === result.userId) return { outcome: result.outcome, signedIn: true };
      const { browserSecretHash } = result;
      const sameBrowser =
        browserSecretHash !== null &&
        readSignUpCookies(ctx.cookieHeader, config.secureCookies).some((secret) =>
          matchesHash(secret, browserSecretHash),
        );
      if (!sameBrowser) return { outcome: result.outcome, signedIn: false };
      const cookie = await rotateSession(
        auth,
        ctx.presentedSessionIds,
        result.userId,
        deviceOf(ctx),
      );
      // Lucia writes the session through its own adapter, outside any transaction of ours: the
      // event follows the session it records.
      await recordActivity(db, {
        userId: result.userId,
        kind: 'sign_in',
        detail: { method: 'email_link' },
        ...deviceOf(ctx),
      });
      ctx.setCookie(cookie);
      ctx.setCookie(clearSignUpCookie(config.secureCookies));
      return { outcome: result.outcome, signedIn: true };
    }),

  /** A new verification link by mail, for the signed-in user whose address is unverified. */
  resendVerification: protectedProcedure.mutation(async ({ ctx }) => {
    if (ctx.user.emailVerified) return { alreadyVerified: true };
    const { rateLimiter } = ctx.deps;
    enforce(await rateLimiter.hit(rateRules.verificationResendPerIp, ctx.clientIp));
    enforce(await rateLimiter.hit(rateRules.verificationResend, ctx.user.id));
    try {
      await sendVerificationMail(accountMailDeps(ctx.deps), ctx.user, { wait: true });
    } catch (error) {
      if (!(error instanceof MailDeliveryError)) throw error;
      ctx.deps.log(`mail: could not send the verification mail: ${error.message}`);
      throw new AppError({
        code: 'SERVICE_UNAVAILABLE',
        reason: 'mail_unavailable',
        message: 'The email could not be sent right now. Please try again in a few minutes.',
      });
    }
    return { alreadyVerified: false };
  }),

  signIn: publicProcedure.input(credentials).mutation(async ({ ctx, input }) => {
    const { rateLimiter, db, auth } = ctx.deps;
    const subject = `${ctx.clientIp}:${normalizeEmail(input.email)}`;
    const blocked = await rateLimiter.blockedFor(rateRules.signIn.name, subject);
    if (blocked !== null) throw tooManyRequests(blocked);
    enforce(await rateLimiter.hit(rateRules.signInPerIp, ctx.clientIp));
    const decision = await rateLimiter.hit(rateRules.signIn, subject);
    if (!decision.allowed) {
      const { baseMs, maxMs } = SIGN_IN_BACKOFF;
      throw tooManyRequests(
        await rateLimiter.strike(rateRules.signIn.name, subject, baseMs, maxMs),
      );
    }
    const account = await verifyCredentials(db, input).catch(async (error: unknown) => {
      // Recorded on the account of that address, if any; the caller learns nothing from it.
      if (error instanceof AccountError)
        await recordFailedSignIn(db, { email: input.email, ...deviceOf(ctx) });
      return toAppError(error);
    });
    await rateLimiter.forgive(rateRules.signIn.name, subject);
    const cookie = await rotateSession(auth, ctx.presentedSessionIds, account.id, deviceOf(ctx));
    // Lucia writes the session through its own adapter, outside any transaction of ours: the
    // event follows the session it records.
    await recordActivity(db, {
      userId: account.id,
      kind: 'sign_in',
      detail: { method: 'password' },
      ...deviceOf(ctx),
    });
    ctx.setCookie(cookie);
    return { ok: true as const };
  }),

  /** Ends every session of the user this browser presented (it may hold duplicates). */
  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    const { db, auth } = ctx.deps;
    await db.transaction(async (tx) => {
      for (const sessionId of ctx.presentedSessionIds) {
        await auth.endUserSession(ctx.user.id, sessionId, { tx });
      }
      await recordActivity(tx, { userId: ctx.user.id, kind: 'sign_out', ...deviceOf(ctx) });
    });
    ctx.setCookie(auth.blankCookie());
    return { ok: true as const };
  }),

  setLocale: protectedProcedure
    .input(z.strictObject({ locale: z.enum(locales) }))
    .mutation(async ({ ctx, input }) => {
      // The language switch is a profile change like any other, recorded in the activity.
      await updateProfile(ctx.deps.db, ctx.user, { locale: input.locale }, { ip: ctx.clientIp });
      return { locale: input.locale };
    }),

  /** The demo sign-in to suggest, only where the local emulator runs and the account exists. */
  demoAccount: publicProcedure.query(async ({ ctx }) => {
    if (ctx.deps.config.recur.mode !== 'emulator') return null;
    return (await hasDemoAccount(ctx.deps.db))
      ? { email: DEMO_ACCOUNT.email, password: DEMO_ACCOUNT.password }
      : null;
  }),

  me: publicProcedure.query(({ ctx }) => {
    if (!ctx.user) return null;
    const { id, email, displayName, locale, emailVerified, recurCustomerId } = ctx.user;
    return {
      id,
      email,
      displayName,
      locale,
      emailVerified,
      hasBillingAccount: recurCustomerId !== null,
    };
  }),
});
