import { z } from 'zod';
import {
  listUserSessions,
  revokeOtherSessions,
  revokeUserSession,
  SessionNotFoundError,
} from '../auth/user-sessions';
import { deviceOf } from '../trpc/context';
import { AppError } from '../trpc/errors';
import { protectedProcedure, router } from '../trpc/init';

export const sessionsRouter = router({
  /** The signed-in user's devices: browser and system, address, first and last use. */
  list: protectedProcedure.query(({ ctx }) =>
    listUserSessions(ctx.deps.db, { id: ctx.user.id, sessionId: ctx.sessionId }, ctx.deps.now()),
  ),

  /** Ends one of the user's sessions; any other id (another user's too) is NOT_FOUND. */
  revoke: protectedProcedure
    .input(z.strictObject({ id: z.string().regex(/^[0-9a-f]{32}$/, 'Unknown session.') }))
    .mutation(async ({ ctx, input }) => {
      const user = { id: ctx.user.id, sessionId: ctx.sessionId };
      try {
        const { current } = await revokeUserSession(ctx.deps, user, input.id, deviceOf(ctx));
        if (current) ctx.setCookie(ctx.deps.auth.blankCookie());
        return { ok: true as const };
      } catch (error) {
        if (!(error instanceof SessionNotFoundError)) throw error;
        throw new AppError({
          code: 'NOT_FOUND',
          reason: 'session_not_found',
          message: 'This session has ended already.',
        });
      }
    }),

  /** Ends every session of the user but this one; their cookies stop working at once. */
  revokeOthers: protectedProcedure.mutation(({ ctx }) =>
    revokeOtherSessions(ctx.deps, { id: ctx.user.id, sessionId: ctx.sessionId }, deviceOf(ctx)),
  ),
});
