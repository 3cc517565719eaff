import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';

/**
 * The signed-in user's plan and status. Always refetched when the page regains focus (the user
 * may have just changed it in the portal); polled briefly after checkout while the webhook
 * links the new Recur customer to the account.
 */
export function useSubscription(options: { awaitingCheckout?: boolean; enabled?: boolean } = {}) {
  const trpc = useTRPC();
  return useQuery(
    trpc.billing.subscription.queryOptions(undefined, {
      enabled: options.enabled ?? true,
      staleTime: 0,
      refetchOnWindowFocus: 'always',
      refetchInterval: (query) =>
        options.awaitingCheckout &&
        query.state.data?.state === 'none' &&
        query.state.dataUpdateCount < 20
          ? 1500
          : false,
    }),
  );
}
