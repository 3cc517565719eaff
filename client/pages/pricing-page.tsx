import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useSearch } from 'wouter';
import { ManageBillingButton } from '../components/manage-billing-button';
import { describeError } from '../errors';
import { formatTwd } from '../format';
import { useOnPageRestore } from '../hooks/use-on-page-restore';
import { useSubscription } from '../hooks/use-subscription';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

export function PricingPage({ signedIn }: { signedIn: boolean }) {
  const { t, locale } = useLocale();
  const trpc = useTRPC();
  const plans = useQuery(trpc.billing.plans.queryOptions(undefined, { staleTime: Infinity }));
  const checkoutCanceled = new URLSearchParams(useSearch()).get('checkout') === 'canceled';
  const checkout = useMutation(
    trpc.billing.createCheckoutSession.mutationOptions({
      onSuccess: ({ url }) => window.location.assign(url),
    }),
  );
  // Back from Recur's checkout restores this page as it was left ("Going to checkout…").
  useOnPageRestore(checkout.reset);
  const leaving = checkout.isPending || checkout.isSuccess;
  const subscription = useSubscription({ enabled: signedIn });
  const current = subscription.data?.state === 'subscribed' ? subscription.data : null;
  const currentPlan = current && current.status !== 'canceled' ? current.planSlug : null;

  return (
    <>
      <h1>{t.pricing.title}</h1>
      <p className="muted">{t.pricing.intro}</p>
      {checkoutCanceled && (
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
      {checkout.isError && (
        <p className="form-error" role="alert">
          {describeError(checkout.error, t).message ?? t.billing.errors.unavailable}
        </p>
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
            {plan.slug === currentPlan ? (
              <button type="button" className="button" disabled>
                {t.pricing.currentPlan}
              </button>
            ) : signedIn ? (
              <button
                type="button"
                className="button primary"
                disabled={leaving}
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
