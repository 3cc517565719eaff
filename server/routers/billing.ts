import { z } from 'zod';
import { locales } from '../../db/schema';
import { toBillingAppError } from '../billing/billing-errors';
import { createPortalSession } from '../billing/portal-session';
import { protectedProcedure, router } from '../trpc/init';

// Strict: a customer id (or anything else) in the input is rejected, never read.
const portalSessionInput = z.strictObject({ locale: z.enum(locales).optional() }).optional();

export const billingRouter = router({
  createPortalSession: protectedProcedure
    .input(portalSessionInput)
    .mutation(async ({ ctx, input }) => {
      const { config, db, recur, log } = ctx.deps;
      try {
        return await createPortalSession(
          {
            db,
            recur,
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
});
