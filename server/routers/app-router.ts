import { router } from '../trpc/init';
import { accountRouter } from './account';
import { activityRouter } from './activity';
import { authRouter } from './auth';
import { billingRouter } from './billing';
import { profileRouter } from './profile';
import { securityRouter } from './security';
import { sessionsRouter } from './sessions';

export const appRouter = router({
  auth: authRouter,
  billing: billingRouter,
  security: securityRouter,
  sessions: sessionsRouter,
  activity: activityRouter,
  account: accountRouter,
  profile: profileRouter,
});

/** The only thing the client imports from the server, and only as a type. */
export type AppRouter = typeof appRouter;
