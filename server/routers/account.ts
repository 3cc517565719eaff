import { z } from 'zod';
import {
  deleteAccount,
  SubscriptionActiveError,
  WrongPasswordError,
} from '../account/delete-account';
import { toBillingAppError } from '../billing/billing-errors';
import { enforce, rateRules } from '../rate-limit/rules';
import { AppError } from '../trpc/errors';
import { protectedProcedure, router } from '../trpc/init';

export const accountRouter = router({
  /**
   * Deletes the signed-in user's account after checking the password; refused while a
   * subscription still gives access. Every session ends with it; this browser's cookie is cleared.
   */
  delete: protectedProcedure
    .input(z.strictObject({ password: z.string().min(1).max(128) }))
    .mutation(async ({ ctx, input }) => {
      const { auth, log, rateLimiter } = ctx.deps;
      enforce(await rateLimiter.hit(rateRules.accountDeletion, ctx.user.id));
      try {
        await deleteAccount(ctx.deps, ctx.user.id, input.password);
      } catch (error) {
        if (error instanceof WrongPasswordError) {
          throw new AppError({
            code: 'FORBIDDEN',
            reason: 'wrong_password',
            message: 'The password is not correct.',
          });
        }
        if (error instanceof SubscriptionActiveError) {
          throw new AppError({
            code: 'CONFLICT',
            reason: 'subscription_active',
            message:
              'Your subscription still gives access. End it in the billing portal before deleting your account.',
          });
        }
        // Recur unreachable or refusing: nothing was deleted (billing_unavailable and the rest).
        throw toBillingAppError(error, log, ctx.user.id);
      }
      ctx.setCookie(auth.blankCookie());
      return { ok: true as const };
    }),
});
