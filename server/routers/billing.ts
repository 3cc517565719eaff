import { z } from 'zod';
import { locales } from '../../db/schema';
import { toBillingAppError } from '../billing/billing-errors';
import { createCheckoutSession } from '../billing/checkout-session';
import { planCatalogue, planSlugs } from '../billing/plan-catalogue';
import { createPortalSession } from '../billing/portal-session';
import { getSubscriptionSummary } from '../billing/subscription';
import { enforce, rateRules } from '../rate-limit/rules';
import { protectedProcedure, publicProcedure, router } from '../trpc/init';

// Strict: a customer id (or anything else) in the input is rejected, never read.
const portalSessionInput = z.strictObject({ locale: z.enum(locales).optional() }).optional();
const checkoutSessionInput = z.strictObject({
  plan: z.enum(planSlugs),
  locale: z.enum(locales).optional(),
});

export const billingRouter = router({
  plans: publicProcedure.query(() => planCatalogue),

  subscription: protectedProcedure.query(async ({ ctx }) => {
    enforce(await ctx.deps.rateLimiter.hit(rateRules.billingStatus, ctx.user.id));
    try {
      return await getSubscriptionSummary(ctx.deps.recur, ctx.user);
    } catch (error) {
      throw toBillingAppError(error, ctx.deps.log, ctx.user.id);
    }
  }),

  createPortalSession: protectedProcedure
    .input(portalSessionInput)
    .mutation(async ({ ctx, input }) => {
      const { config, portalAudit, recur, log, rateLimiter } = ctx.deps;
      try {
        return await createPortalSession(
          {
            audit: portalAudit,
            countAttempt: (userId) => rateLimiter.hit(rateRules.billingSession, userId),
            log,
            recur,
            // CUSTOMIZE: where the portal's return link leads.
            returnUrl: `${config.appUrl}/account`,
            configurationId: config.recurPortalConfigurationId,
          },
          ctx.user,
          input?.locale,
        );
      } catch (error) {
        throw toBillingAppError(error, log, ctx.user.id);
      }
    }),

  createCheckoutSession: protectedProcedure
    .input(checkoutSessionInput)
    .mutation(async ({ ctx, input }) => {
      const { config, recur, log, rateLimiter } = ctx.deps;
      enforce(await rateLimiter.hit(rateRules.billingSession, ctx.user.id));
      try {
        return await createCheckoutSession(
          { recur, appUrl: config.appUrl },
          ctx.user,
          input.plan,
          input.locale ?? ctx.user.locale,
        );
      } catch (error) {
        throw toBillingAppError(error, log, ctx.user.id);
      }
    }),
});
