import { QueryClient } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from '../server/routers/app-router';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function createClients() {
  const queryClient = new QueryClient({
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
  return { queryClient, trpcClient };
}

export type AppClientError = TRPCClientError<AppRouter>;

export function isAppClientError(error: unknown): error is AppClientError {
  return error instanceof TRPCClientError;
}

function errorStatus(error: unknown): number | undefined {
  return isAppClientError(error) ? error.data?.httpStatus : undefined;
}
