import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../hooks/use-me';
import { useRetryCountdown } from '../hooks/use-retry-countdown';
import { useLocale } from '../i18n/locale';
import { isAppClientError, useTRPC } from '../trpc';

/** On signed-in pages while the address is unconfirmed: says so, and resends the link. */
export function EmailVerificationBanner() {
  const { t } = useLocale();
  const me = useMe();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resend = useMutation(
    trpc.auth.resendVerification.mutationOptions({
      onSuccess: ({ alreadyVerified }) => {
        if (alreadyVerified)
          void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
      },
    }),
  );
  // Counts the wait down live (from the server's Retry-After), then offers "send again".
  const countdown = useRetryCountdown(resend.error);
  if (!me.data || me.data.emailVerified) return null;

  let outcome: string | null = null;
  if (resend.isSuccess) outcome = t.emailBanner.sent;
  if (resend.error) {
    const data = isAppClientError(resend.error) ? resend.error.data : undefined;
    outcome =
      data?.reason === 'rate_limited'
        ? countdown && countdown.left > 0
          ? t.emailBanner.wait(countdown.left)
          : t.rateLimit.ready
        : data?.reason === 'mail_unavailable'
          ? t.emailBanner.unavailable
          : data
            ? t.errors.generic
            : t.errors.network;
  }

  return (
    <section className="notice warning verify-banner" aria-label={t.emailBanner.label}>
      <p>{t.emailBanner.text(me.data.email)}</p>
      <p className="verify-banner-actions">
        <button
          type="button"
          className="link-button"
          onClick={() => resend.mutate()}
          disabled={resend.isPending || (countdown?.left ?? 0) > 0}
        >
          {resend.isPending ? t.emailBanner.sending : t.emailBanner.resend}
        </button>
        <span role="status">{outcome}</span>
      </p>
    </section>
  );
}
