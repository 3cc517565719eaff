import { router } from '../trpc/init';
import { authRouter } from './auth';

export const appRouter = router({
  auth: authRouter,
});

/** The only thing the client imports from the server, and only as a type. */
export type AppRouter = typeof appRouter;
