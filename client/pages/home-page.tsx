import { useQuery } from '@tanstack/react-query';
import { Link } from 'wouter';
import { formatTwd } from '../format';
import { usePageTitle } from '../hooks/use-page-title';
import { useLocale } from '../i18n/locale';
import { type RouterOutputs, useTRPC } from '../trpc';

type Me = NonNullable<RouterOutputs['auth']['me']>;

/**
 * The public front page: what the product is, its plans, and the way in. The product's own words
 * are in client/i18n/messages.ts under `home` (marked CUSTOMIZE).
 */
export function HomePage({ user }: { user: Me | null }) {
  const { t, locale } = useLocale();
  usePageTitle(t.pageTitles.home);
  const trpc = useTRPC();
  const plans = useQuery(trpc.billing.plans.queryOptions(undefined, { staleTime: Infinity }));

  return (
    <>
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title">{t.home.headline}</h1>
        <p className="lead">{t.home.lead}</p>
        {user ? (
          <div className="actions">
            <p className="signed-in-as">{t.home.signedInAs(user.displayName)}</p>
            <Link href="/account" className="button primary">
              {t.home.goToAccount}
            </Link>
          </div>
        ) : (
          <div className="actions">
            <Link href="/sign-up" className="button primary">
              {t.home.getStarted}
            </Link>
            <Link href="/sign-in" className="button">
              {t.home.signIn}
            </Link>
          </div>
        )}
      </section>
      <section aria-labelledby="home-plans-title">
        <h2 id="home-plans-title">{t.home.plansTitle}</h2>
        <p className="muted">{t.home.plansIntro}</p>
        {plans.isPending && (
          <p className="muted" aria-live="polite">
            {t.home.plansLoading}
          </p>
        )}
        {plans.isError && (
          <p className="form-error" role="alert">
            {t.errors.network}
          </p>
        )}
        <ul className="plans compact">
          {plans.data?.map((plan) => (
            <li
              key={plan.slug}
              className={plan.highlighted ? 'card plan highlighted' : 'card plan'}
            >
              <h3>{plan.name[locale]}</h3>
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
            </li>
          ))}
        </ul>
        <p>
          <Link href="/pricing">{t.home.comparePlans}</Link>
        </p>
      </section>
    </>
  );
}
