import { z } from 'zod';
import { ACTIVITY_PAGE_SIZE, listActivity } from '../account/activity-list';
import { protectedProcedure, router } from '../trpc/init';

const pageInput = z
  .strictObject({
    /** The `nextCursor` of the previous page. */
    cursor: z.number().int().positive().nullish(),
    limit: z.number().int().min(1).max(ACTIVITY_PAGE_SIZE.max).optional(),
    /** Sent by TanStack Query's infinite queries; pages only go forward (older). */
    direction: z.enum(['forward', 'backward']).optional(),
  })
  .optional();

export const activityRouter = router({
  /** The signed-in user's own events, newest first, keyset-paginated by id. */
  list: protectedProcedure.input(pageInput).query(({ ctx, input }) =>
    listActivity(ctx.deps.db, ctx.user.id, {
      cursor: input?.cursor ?? undefined,
      limit: input?.limit,
    }),
  ),
});
