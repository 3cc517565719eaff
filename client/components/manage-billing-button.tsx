import { useMutation } from '@tanstack/react-query';
import { useOnPageRestore } from '../hooks/use-on-page-restore';
import { useRetryCountdown } from '../hooks/use-retry-countdown';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';
import { BillingError } from './billing-error';

/**
 * Opens the Recur customer portal: a fresh session per click (a portal link works once), then a
 * full-page redirect to it. Never prefetched, never cached.
 */
export function ManageBillingButton({ primary = false }: { primary?: boolean }) {
  const { t, locale } = useLocale();
  const trpc = useTRPC();
  const portal = useMutation(
    trpc.billing.createPortalSession.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
    }),
  );
  // Stays disabled after success while the browser leaves for the portal; Back from the portal
  // brings the page back from the back/forward cache in that state, so start over then.
  useOnPageRestore(portal.reset);
  const busy = portal.isPending || portal.isSuccess;
  const countdown = useRetryCountdown(portal.error);
  const waiting = countdown !== null && countdown.left > 0;

  return (
    <div className="manage-billing">
      <button
        type="button"
        className={primary ? 'button primary' : 'button'}
        onClick={() => portal.mutate({ locale })}
        disabled={busy || waiting}
        aria-busy={busy}
      >
        {busy ? t.billing.opening : t.billing.manage}
      </button>
      {portal.isError && (
        <BillingError error={portal.error} onRetry={() => portal.mutate({ locale })} />
      )}
    </div>
  );
}
