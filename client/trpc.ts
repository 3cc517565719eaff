import { MutationCache, type Query, QueryCache, QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import type { inferRouterOutputs } from '@trpc/server';
import { createTRPCContext, createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { navigate } from 'wouter/use-browser-location';
import type { AppRouter } from '../server/routers/app-router';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** What each procedure answers, read from the router: never declared again by hand. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export function createClients() {
  // Any answer saying the session has ended (signed out in another tab, expired, ended from
  // another device) signs this tab out too, once, here: no page has to handle it.
  const onError = (error: unknown) => {
    if (isSessionEnded(error)) signedOutElsewhere();
  };
  const queryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        // A 4xx will not fix itself; retry only what may be transient.
        retry: (failures, error) => failures < 2 && (errorStatus(error) ?? 500) >= 500,
      },
    },
  });
  const trpcClient = createTRPCClient<AppRouter>({
    // Procedures that set cookies go through httpBatchLink; maxItems matches the server's limit.
    links: [httpBatchLink({ url: '/trpc', maxItems: 20 })],
  });
  const meKey = createTRPCOptionsProxy<AppRouter>({
    client: trpcClient,
    queryClient,
  }).auth.me.queryKey();
  const isMe = (query: Query) => JSON.stringify(query.queryKey) === JSON.stringify(meKey);

  /** Forgets the user and goes to sign-in, which brings them back here afterwards. */
  function signedOutElsewhere() {
    queryClient.setQueryData(meKey, null);
    // Once the pages have seen the user gone (the account page sends itself to sign-in), any
    // other page does too; then no answer about this user is kept for the next one.
    setTimeout(() => {
      const { pathname, search } = window.location;
      if (pathname !== '/sign-in') {
        navigate(`/sign-in?next=${encodeURIComponent(pathname + search)}`);
      }
      setTimeout(() => {
        queryClient.removeQueries({ predicate: (query) => !isMe(query), type: 'inactive' });
      }, 0);
    }, 0);
  }

  return { queryClient, trpcClient };
}

export type AppClientError = TRPCClientError<AppRouter>;

export function isAppClientError(error: unknown): error is AppClientError {
  return error instanceof TRPCClientError;
}

/** The server's "no valid session" (not a wrong password, which is `invalid_credentials`). */
export function isSessionEnded(error: unknown): boolean {
  return isAppClientError(error) && error.data?.reason === 'unauthenticated';
}

function errorStatus(error: unknown): number | undefined {
  return isAppClientError(error) ? error.data?.httpStatus : undefined;
}
