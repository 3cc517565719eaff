import { router } from '../trpc/init';
import { authRouter } from './auth';
import { billingRouter } from './billing';

export const appRouter = router({
  auth: authRouter,
  billing: billingRouter,
});

/** The only thing the client imports from the server, and only as a type. */
export type AppRouter = typeof appRouter;
