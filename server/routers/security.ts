import { z } from 'zod';
import { normalizeEmail } from '../auth/accounts';
import {
  checkEmailChangeReport,
  confirmEmailChange,
  reportEmailChange,
  requestEmailChange,
} from '../auth/change-email';
import { changePassword } from '../auth/change-password';
import {
  checkPasswordResetLink,
  requestPasswordReset,
  resetPassword,
} from '../auth/password-reset';
import type { PasswordVerdict } from '../auth/password-strength';
import { enforce, rateRules } from '../rate-limit/rules';
import type { AppDeps, Context } from '../trpc/context';
import { AppError } from '../trpc/errors';
import { protectedProcedure, publicProcedure, router } from '../trpc/init';

const email = z
  .string()
  .trim()
  .max(254, 'Email is too long.')
  .pipe(z.email('Enter a valid email address.'));

// CUSTOMIZE: the password policy, as at sign-up (server/routers/auth.ts).
const password = z
  .string()
  .min(8, 'Password must be at least 8 characters.')
  .max(128, 'Password must be at most 128 characters.');

const currentPassword = z
  .string()
  .min(1, 'Enter your current password.')
  .max(128, 'Password must be at most 128 characters.');

const link = z.strictObject({ token: z.string().max(200) });

const changeDeps = (deps: AppDeps) => ({ ...deps, appUrl: deps.config.appUrl });
const origin = (ctx: Context) => ({ ip: ctx.clientIp, userAgent: ctx.userAgent });

function weakPassword(verdict: Extract<PasswordVerdict, { strong: false }>): AppError {
  return new AppError({
    code: 'BAD_REQUEST',
    reason: 'weak_password',
    message: verdict.message,
    passwordFeedback: verdict.feedback,
  });
}

const wrongPassword = () =>
  new AppError({
    code: 'FORBIDDEN',
    reason: 'wrong_password',
    message: 'Your current password is not correct.',
  });

/** Every link in the mails of this router counts against one limit per client IP. */
async function countLinkUse(ctx: Context): Promise<void> {
  enforce(await ctx.deps.rateLimiter.hit(rateRules.accountLinkPerIp, ctx.clientIp));
}

export const securityRouter = router({
  /** `{ ok: true }` whether or not the address has an account; only an account gets mail. */
  requestPasswordReset: publicProcedure
    .input(z.strictObject({ email }))
    .mutation(async ({ ctx, input }) => {
      const { rateLimiter } = ctx.deps;
      enforce(await rateLimiter.hit(rateRules.passwordResetRequestPerIp, ctx.clientIp));
      enforce(await rateLimiter.hit(rateRules.passwordResetRequest, normalizeEmail(input.email)));
      await requestPasswordReset(changeDeps(ctx.deps), input.email);
      return { ok: true as const };
    }),

  /** Whether a reset link still works (spends nothing): the page says so before the form. */
  checkPasswordReset: publicProcedure.input(link).mutation(async ({ ctx, input }) => {
    await countLinkUse(ctx);
    return { outcome: await checkPasswordResetLink(ctx.deps, input.token) };
  }),

  /** Sets the new password; every session of the account ends, this browser's included. */
  resetPassword: publicProcedure
    .input(link.extend({ password }))
    .mutation(async ({ ctx, input }) => {
      await countLinkUse(ctx);
      const result = await resetPassword(changeDeps(ctx.deps), { ...input, origin: origin(ctx) });
      if (result.outcome === 'weak') throw weakPassword(result.verdict);
      return { outcome: result.outcome };
    }),

  /** Needs the current password; every other session of the account ends. */
  changePassword: protectedProcedure
    .input(z.strictObject({ currentPassword, password }))
    .mutation(async ({ ctx, input }) => {
      const result = await changePassword(changeDeps(ctx.deps), {
        user: ctx.user,
        sessionId: ctx.sessionId,
        currentPassword: input.currentPassword,
        password: input.password,
        origin: origin(ctx),
      });
      if (result.outcome === 'wrong_password') throw wrongPassword();
      if (result.outcome === 'weak') throw weakPassword(result.verdict);
      return { ok: true as const };
    }),

  /**
   * Mails a link to the new address; the address changes when it is followed. The same answer
   * whether or not the address has an account.
   */
  requestEmailChange: protectedProcedure
    .input(z.strictObject({ currentPassword, email }))
    .mutation(async ({ ctx, input }) => {
      const result = await requestEmailChange(changeDeps(ctx.deps), {
        user: ctx.user,
        currentPassword: input.currentPassword,
        newEmail: input.email,
        origin: origin(ctx),
      });
      if (result.outcome === 'wrong_password') throw wrongPassword();
      if (result.outcome === 'same_email') {
        throw new AppError({
          code: 'BAD_REQUEST',
          reason: 'same_email',
          message: 'This is already the address of your account.',
        });
      }
      return { sentTo: result.email };
    }),

  /** Follows the link sent to the new address. */
  confirmEmailChange: publicProcedure.input(link).mutation(async ({ ctx, input }) => {
    await countLinkUse(ctx);
    const result = await confirmEmailChange(changeDeps(ctx.deps), {
      token: input.token,
      origin: origin(ctx),
    });
    return result.outcome === 'changed'
      ? { outcome: result.outcome, email: result.email }
      : { outcome: result.outcome, email: null };
  }),

  /** Whether a "this was not me" link still works (spends nothing). */
  checkEmailChangeReport: publicProcedure.input(link).mutation(async ({ ctx, input }) => {
    await countLinkUse(ctx);
    return { outcome: await checkEmailChangeReport(ctx.deps, input.token) };
  }),

  /** "This was not me": ends every session, gives the account its old address back. */
  reportEmailChange: publicProcedure.input(link).mutation(async ({ ctx, input }) => {
    await countLinkUse(ctx);
    const result = await reportEmailChange(changeDeps(ctx.deps), {
      token: input.token,
      origin: origin(ctx),
    });
    return result.outcome === 'reported'
      ? { outcome: result.outcome, restored: result.restored }
      : { outcome: result.outcome, restored: false };
  }),
});
