import { useEffect } from 'react';

/**
 * Runs `callback` when the browser shows this page again from its back/forward cache (the user
 * pressed Back on Recur's checkout or portal page). The page comes back exactly as it was left,
 * e.g. with a button disabled while "leaving"; the callback makes it usable again.
 */
export function useOnPageRestore(callback: () => void): void {
  useEffect(() => {
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) callback();
    };
    window.addEventListener('pageshow', onPageShow);
    return () => window.removeEventListener('pageshow', onPageShow);
  }, [callback]);
}
