import { Link } from 'wouter';
import { formatBillingDate } from '../format';
import { useSubscription } from '../hooks/use-subscription';
import { useLocale } from '../i18n/locale';
import type { RouterOutputs } from '../trpc';
import { ManageBillingButton } from './manage-billing-button';

type Subscribed = Extract<RouterOutputs['billing']['subscription'], { state: 'subscribed' }>;
type SubscriptionView = Subscribed['subscriptions'][number];

/**
 * The plan, its status and Manage billing. `justSubscribed`: the user has just come back from
 * Recur's checkout, so the plan may take a moment (the webhook) to appear; it is polled for.
 */
export function SubscriptionCard({ justSubscribed }: { justSubscribed: boolean }) {
  const { t } = useLocale();
  const subscription = useSubscription({ awaitingCheckout: justSubscribed });
  const planShown = subscription.data?.state === 'subscribed';

  return (
    <section
      className="card"
      aria-labelledby="subscription-title"
      aria-busy={subscription.isPending}
    >
      <h3 id="subscription-title">{t.billing.title}</h3>
      {justSubscribed && (
        <p className="notice success" role="status">
          {t.billing.welcome}
          {planShown ? null : ` ${t.checkoutReturn.pending}`}
        </p>
      )}
      {subscription.isPending ? (
        <p className="muted">{t.billing.loading}</p>
      ) : subscription.isError ? (
        <div className="notice warning" role="status">
          <p>{t.billing.unavailable}</p>
          <button type="button" className="button" onClick={() => subscription.refetch()}>
            {t.billing.retry}
          </button>
        </div>
      ) : subscription.data.state === 'none' ? (
        <>
          <p>{subscription.data.ended ? t.billing.ended : t.billing.none}</p>
          <Link href="/pricing" className="button primary">
            {t.billing.seePlans}
          </Link>
        </>
      ) : (
        <>
          {subscription.data.subscriptions.map((item) => (
            <SubscriptionDetails key={item.id} subscription={item} />
          ))}
          <ManageBillingButton primary />
        </>
      )}
    </section>
  );
}

function SubscriptionDetails({ subscription }: { subscription: SubscriptionView }) {
  const { t, locale } = useLocale();
  const date = subscription.currentPeriodEnd
    ? formatBillingDate(subscription.currentPeriodEnd, locale)
    : null;
  const shown = subscription.canceled ? 'canceled' : subscription.status;
  return (
    <div className="subscription">
      <dl className="details">
        <dt>{t.billing.plan}</dt>
        <dd>{subscription.planName[locale]}</dd>
        <dt>{t.billing.status}</dt>
        <dd>
          <span className={`badge ${shown}`}>{t.billing.statuses[shown]}</span>
        </dd>
      </dl>
      {subscription.canceled && date ? (
        <p className="notice warning" role="status">
          {t.billing.canceledUntil(date)}
        </p>
      ) : subscription.status === 'past_due' ? (
        <p className="notice danger" role="alert">
          {t.billing.pastDue}
        </p>
      ) : subscription.status === 'trialing' && date ? (
        <p className="notice">{t.billing.trialEndsOn(date)}</p>
      ) : date ? (
        <p className="muted">{t.billing.renewsOn(date)}</p>
      ) : null}
    </div>
  );
}
