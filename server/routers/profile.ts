import { z } from 'zod';
import { locales } from '../../db/schema';
import { displayNameSchema, updateProfile } from '../account/profile';
import { protectedProcedure, router } from '../trpc/init';

// Strict: the email, an id or anything else in the input is rejected, never read.
const profileInput = z.strictObject({
  displayName: displayNameSchema.optional(),
  locale: z.enum(locales).optional(),
});

export const profileRouter = router({
  /** The signed-in user's display name and language; only the fields given change. */
  update: protectedProcedure
    .input(profileInput)
    .mutation(({ ctx, input }) =>
      updateProfile(ctx.deps.db, ctx.user, input, { ip: ctx.clientIp }),
    ),
});
