/**
 * tRPC setup: where every procedure's `ctx` comes from and which procedure builders exist.
 * Edit this file to add a procedure kind (e.g. an admin-only one) or change the error shape.
 *
 * 1. Initialisation: the transformer-free JSON wire format and the error shape the client reads.
 * 2. Procedures: `publicProcedure` and `protectedProcedure`.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError, z } from 'zod';
import { isDatabaseUnavailable } from '../database-errors';
import type { Context, SessionState } from './context';
import { AppError, databaseUnavailableError, type ErrorReason } from './errors';

// 1. Initialisation --------------------------------------------------------------------------

const GENERIC_MESSAGE = 'Something went wrong on our side. Please try again.';

const t = initTRPC.context<Context>().create({
  // Stack traces never leave the server; `isDev` is false unless NODE_ENV=development.
  isDev: process.env.NODE_ENV === 'development',
  errorFormatter({ shape, error }) {
    const zodError = error.cause instanceof ZodError ? error.cause : null;
    const reason: ErrorReason | null =
      error instanceof AppError
        ? error.reason
        : zodError
          ? 'invalid_input'
          : error.code === 'UNAUTHORIZED'
            ? 'unauthenticated'
            : null;
    // Only our own errors and input validation carry a message meant for people; anything
    // else (a driver error, a bug) may hold SQL or internals, so its message is replaced.
    const message = zodError
      ? (zodError.issues[0]?.message ?? 'Invalid input.')
      : error.code === 'PAYLOAD_TOO_LARGE' // tRPC's own message is just the code
        ? 'The request body is too large.'
        : error instanceof AppError || error.code !== 'INTERNAL_SERVER_ERROR'
          ? shape.message
          : GENERIC_MESSAGE;
    return {
      message,
      code: shape.code,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        reason,
        retryAfterSeconds: error instanceof AppError ? (error.retryAfterSeconds ?? null) : null,
        passwordFeedback: error instanceof AppError ? (error.passwordFeedback ?? null) : null,
        fieldErrors: zodError
          ? (z.flattenError(zodError).fieldErrors as Record<string, string[] | undefined>)
          : null,
        ...(shape.data.stack ? { stack: shape.data.stack } : {}),
      },
    };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// 2. Procedures ------------------------------------------------------------------------------

/** Every procedure: a database that cannot be reached answers 503, not a generic 500. */
const procedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDatabaseUnavailable(result.error.cause)) {
    throw databaseUnavailableError(result.error.cause);
  }
  return result;
});

/** `ctx.user` is the signed-in user, or null. */
export const publicProcedure = procedure.use(async ({ ctx, next }) =>
  next({ ctx: await ctx.session() }),
);

/** A signed-in user or UNAUTHORIZED; `ctx.user` (with `recurCustomerId`) is non-null inside. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) =>
  next({ ctx: signedIn(ctx) }),
);

/**
 * A procedure that validates the session in its own first statement, together with its first
 * write (one round trip instead of two), then calls `signedIn(ctx.adoptSessions(…))`.
 */
export const ownSessionProcedure = procedure;

/** The session's user, or UNAUTHORIZED. */
export function signedIn<S extends SessionState>(state: S) {
  if (!state.user || !state.sessionId) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in to continue.' });
  }
  return { ...state, user: state.user, sessionId: state.sessionId };
}
