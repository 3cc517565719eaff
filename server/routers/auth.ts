import { z } from 'zod';
import { locales } from '../../db/schema';
import { DEMO_ACCOUNT, hasDemoAccount } from '../../db/seed';
import {
  AccountError,
  createAccount,
  normalizeEmail,
  setUserLocale,
  verifyCredentials,
} from '../auth/accounts';
import { enforce, rateRules, SIGN_IN_BACKOFF, tooManyRequests } from '../rate-limit/rules';
import { AppError } from '../trpc/errors';
import { protectedProcedure, publicProcedure, router } from '../trpc/init';

const email = z
  .string()
  .trim()
  .max(254, 'Email is too long.')
  .pipe(z.email('Enter a valid email address.'));

// CUSTOMIZE: the password policy (OWASP: at least 8 characters, allow at least 64).
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
    throw new AppError({
      code: error.code === 'email_taken' ? 'CONFLICT' : 'UNAUTHORIZED',
      reason: error.code,
      message: error.message,
    });
  }
  throw error;
}

export const authRouter = router({
  signUp: publicProcedure.input(signUpInput).mutation(async ({ ctx, input }) => {
    enforce(await ctx.deps.rateLimiter.hit(rateRules.signUp, ctx.clientIp));
    const account = await createAccount(ctx.deps.db, input).catch(toAppError);
    ctx.setCookie(await ctx.deps.auth.createSession(account.id));
    return { ok: true as const };
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
    const account = await verifyCredentials(db, input).catch(toAppError);
    await rateLimiter.forgive(rateRules.signIn.name, subject);
    ctx.setCookie(await auth.createSession(account.id));
    return { ok: true as const };
  }),

  signOut: protectedProcedure.mutation(async ({ ctx }) => {
    ctx.setCookie(await ctx.deps.auth.invalidateSession(ctx.sessionId));
    return { ok: true as const };
  }),

  setLocale: protectedProcedure
    .input(z.strictObject({ locale: z.enum(locales) }))
    .mutation(async ({ ctx, input }) => {
      await setUserLocale(ctx.deps.db, ctx.user.id, input.locale);
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
    const { id, email, displayName, locale, recurCustomerId } = ctx.user;
    return { id, email, displayName, locale, hasBillingAccount: recurCustomerId !== null };
  }),
});
