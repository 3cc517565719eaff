import { z } from 'zod';
import type { Db } from '../../db/create-db';
import { locales } from '../../db/schema';
import { recordActivity } from '../account/activity';
import { toBillingAppError } from '../billing/billing-errors';
import { createCheckoutSession } from '../billing/checkout-session';
import { linkRecurCustomer } from '../billing/customer-link';
import { createOpenCheckouts } from '../billing/open-checkouts';
import { planCatalogue, planSlugs } from '../billing/plan-catalogue';
import { createPortalSession } from '../billing/portal-session';
import { getSubscriptionSummary } from '../billing/subscription';
import { isUniqueViolation } from '../database-errors';
import { enforce, rateRules } from '../rate-limit/rules';
import type { Context } from '../trpc/context';
import {
  ownSessionProcedure,
  protectedProcedure,
  publicProcedure,
  router,
  signedIn,
} from '../trpc/init';

// Strict: a customer id (or anything else) in the input is rejected, never read.
const portalSessionInput = z.strictObject({ locale: z.enum(locales).optional() }).optional();
const checkoutSessionInput = z.strictObject({
  plan: z.enum(planSlugs),
  locale: z.enum(locales).optional(),
});

/** Who did it, for the activity list. */
function activityOf(ctx: Context & { user: { id: string } }) {
  return { userId: ctx.user.id, ip: ctx.clientIp };
}

/**
 * Links under the unique index on recur_customer_id. Losing a race to another link for the same
 * customer aborts the transaction; its retry sees the holder and records the conflict.
 */
async function linkWithRetry(db: Db, link: Parameters<typeof linkRecurCustomer>[1]) {
  try {
    return await db.transaction((tx) => linkRecurCustomer(tx, link));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return db.transaction((tx) => linkRecurCustomer(tx, link));
  }
}

/** Runs a billing call and turns its failure into the error the client can act on. */
async function billing<T>(ctx: Context & { user: { id: string } }, call: () => Promise<T>) {
  try {
    return await call();
  } catch (error) {
    throw toBillingAppError(error, ctx.deps.log, ctx.user.id);
  }
}

export const billingRouter = router({
  plans: publicProcedure.query(() => planCatalogue),

  subscription: protectedProcedure.query(async ({ ctx }) => {
    const { config, recur, rateLimiter } = ctx.deps;
    enforce(await rateLimiter.hit(rateRules.billingStatus, ctx.user.id));
    return billing(ctx, () =>
      getSubscriptionSummary({ recur, productIds: config.recurProductIds }, ctx.user),
    );
  }),

  // The session, the rate limit and the audit row in one statement before Recur is called.
  createPortalSession: ownSessionProcedure
    .input(portalSessionInput)
    .mutation(async ({ ctx, input }) => {
      const { config, db, portalAudit, recur, log } = ctx.deps;
      const attempt = await portalAudit.begin(ctx.sessionIds);
      const { user } = signedIn(ctx.adoptSessions(ctx.deps.auth.validated(attempt.sessions)));
      if (!attempt.admission) throw new Error('A signed-in user was given no rate-limit decision');
      const admission = attempt.admission;
      return billing({ ...ctx, user }, () =>
        createPortalSession(
          {
            audit: portalAudit,
            linkCustomer: (link) => linkWithRetry(db, link),
            log,
            clientIp: ctx.clientIp,
            recur,
            // CUSTOMIZE: where the portal's return link leads.
            returnUrl: `${config.appUrl}/account`,
            configurationId: config.recurPortalConfigurationId,
          },
          user,
          admission,
          input?.locale,
        ),
      );
    }),

  createCheckoutSession: protectedProcedure
    .input(checkoutSessionInput)
    .mutation(async ({ ctx, input }) => {
      const { config, recur, rateLimiter, db } = ctx.deps;
      enforce(await rateLimiter.hit(rateRules.billingSession, ctx.user.id));
      return billing(ctx, () =>
        createCheckoutSession(
          {
            recur,
            openCheckouts: createOpenCheckouts(db),
            recordStarted: (plan) =>
              recordActivity(db, {
                ...activityOf(ctx),
                kind: 'checkout_started',
                detail: { plan },
              }),
            appUrl: config.appUrl,
            productIds: config.recurProductIds,
          },
          ctx.user,
          input.plan,
        ),
      );
    }),
});
