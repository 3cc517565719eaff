import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import { BillingError } from '../components/billing-error';
import { ManageBillingButton } from '../components/manage-billing-button';
import { formatTwd } from '../format';
import { useOnPageRestore } from '../hooks/use-on-page-restore';
import { usePageTitle } from '../hooks/use-page-title';
import { useRetryCountdown } from '../hooks/use-retry-countdown';
import { useSubscription } from '../hooks/use-subscription';
import { useLocale } from '../i18n/locale';
import { isAppClientError, useTRPC } from '../trpc';

export function PricingPage({ user }: { user: { emailVerified: boolean } | null }) {
  const signedIn = user !== null;
  const { t, locale } = useLocale();
  usePageTitle(t.pageTitles.pricing);
  const trpc = useTRPC();
  const plans = useQuery(trpc.billing.plans.queryOptions(undefined, { staleTime: Infinity }));
  const checkoutCanceled = new URLSearchParams(useSearch()).get('checkout') === 'canceled';
  const subscription = useSubscription({ enabled: signedIn });
  const checkout = useMutation(
    trpc.billing.createCheckoutSession.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
      onError: (error) => {
        // Subscribed meanwhile (another tab, or Back after paying): show that instead.
        if (isAppClientError(error) && error.data?.reason === 'already_subscribed') {
          void subscription.refetch();
        }
      },
    }),
  );
  // Back from Recur's checkout restores this page as it was left ("Going to checkout…").
  useOnPageRestore(checkout.reset);
  const leaving = checkout.isPending || checkout.isSuccess;
  const countdown = useRetryCountdown(checkout.error);
  const waiting = countdown !== null && countdown.left > 0;
  const current = subscription.data?.state === 'subscribed' ? subscription.data : null;
  const currentPlans = new Set(current?.subscriptions.map((item) => item.planSlug));
  // Checking out again would be a second subscription, charged beside the first.
  const canSubscribe = signedIn && subscription.isSuccess && !current;
  // "Canceled, not charged" only once it is known to be true: not for someone who has a
  // subscription (Back after paying leads here through the checkout's cancel link).
  const showCanceled = checkoutCanceled && (!signedIn || (subscription.isSuccess && !current));

  return (
    <>
      <h1>{t.pricing.title}</h1>
      <p className="muted">{t.pricing.intro}</p>
      {showCanceled && (
        <p className="notice" role="status">
          {t.pricing.checkoutCanceled}
        </p>
      )}
      {current && (
        <div className="notice" role="status">
          <p>{t.pricing.subscribedNote}</p>
          <ManageBillingButton />
        </div>
      )}
      {user && !user.emailVerified && !current && (
        <p className="notice warning" role="status">
          {t.pricing.verifyEmailFirst}
        </p>
      )}
      {checkout.isError && !current && (
        <BillingError
          error={checkout.error}
          onRetry={() => checkout.variables && checkout.mutate(checkout.variables)}
        />
      )}
      {plans.isError && (
        <p className="form-error" role="alert">
          {t.errors.network}
        </p>
      )}
      <ul className="plans">
        {plans.data?.map((plan) => (
          <li key={plan.slug} className={plan.highlighted ? 'card plan highlighted' : 'card plan'}>
            <h2>{plan.name[locale]}</h2>
            {plan.highlighted && <p className="badge active">{t.pricing.popular}</p>}
            <p className="price">
              <strong>{formatTwd(plan.priceTwd, locale)}</strong>{' '}
              {plan.interval === 'month' ? t.pricing.perMonth : t.pricing.perYear}
            </p>
            <ul className="features">
              {plan.features[locale].map((feature) => (
                <li key={feature}>{feature}</li>
              ))}
            </ul>
            {currentPlans.has(plan.slug) ? (
              <p className="badge active">{t.pricing.currentPlan}</p>
            ) : current ? (
              <p className="muted">{t.pricing.changeInPortal}</p>
            ) : signedIn ? (
              <button
                type="button"
                className="button primary"
                disabled={leaving || waiting || !canSubscribe || !user?.emailVerified}
                aria-busy={checkout.isPending && checkout.variables?.plan === plan.slug}
                onClick={() => checkout.mutate({ plan: plan.slug, locale })}
              >
                {leaving && checkout.variables?.plan === plan.slug
                  ? t.pricing.redirecting
                  : `${t.pricing.subscribe} — ${plan.name[locale]}`}
              </button>
            ) : (
              <Link href="/sign-in?next=/pricing" className="button primary">
                {`${t.pricing.signInToSubscribe} — ${plan.name[locale]}`}
              </Link>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
