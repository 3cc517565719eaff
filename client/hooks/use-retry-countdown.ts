import { useEffect, useState } from 'react';
import { isAppClientError } from '../trpc';

/** When each rate-limit error arrived: the wait counts from then, across re-renders. */
const arrivedAt = new WeakMap<object, number>();

/**
 * For a `rate_limited` error: the seconds left before a retry may succeed, counting down live
 * from the server's `retryAfterSeconds` (Recur's own Retry-After when Recur asked), then 0.
 * Null for any other error.
 */
export function useRetryCountdown(error: unknown): { left: number; total: number } | null {
  const data = isAppClientError(error) ? error.data : undefined;
  const total = data?.reason === 'rate_limited' ? (data.retryAfterSeconds ?? 60) : null;
  let until: number | null = null;
  if (total !== null && typeof error === 'object' && error !== null) {
    const start = arrivedAt.get(error) ?? Date.now();
    arrivedAt.set(error, start);
    until = start + total * 1000;
  }
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => {
      const time = Date.now();
      setNow(time);
      if (time >= until) clearInterval(timer);
    }, 250);
    return () => clearInterval(timer);
  }, [until]);
  if (total === null || until === null) return null;
  return {
    left: Math.max(0, Math.ceil((until - Math.max(now, until - total * 1000)) / 1000)),
    total,
  };
}
