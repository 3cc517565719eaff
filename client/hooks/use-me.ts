import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '../trpc';

/** The signed-in user, or null. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions());
}
