import { Link } from 'wouter';
import { formatDate } from '../format';
import { useSubscription } from '../hooks/use-subscription';
import { useLocale } from '../i18n/locale';
import { ManageBillingButton } from './manage-billing-button';

export function SubscriptionCard({ awaitingCheckout }: { awaitingCheckout: boolean }) {
  const { t, locale } = useLocale();
  const subscription = useSubscription({ awaitingCheckout });

  return (
    <section
      className="card"
      aria-labelledby="subscription-title"
      aria-busy={subscription.isPending}
    >
      <h2 id="subscription-title">{t.billing.title}</h2>
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
          <p>{t.billing.none}</p>
          <Link href="/pricing" className="button primary">
            {t.billing.seePlans}
          </Link>
        </>
      ) : (
        <SubscriptionDetails {...subscription.data} locale={locale} />
      )}
    </section>
  );
}

function SubscriptionDetails(props: {
  planName: Record<'zh-TW' | 'en', string>;
  status: 'active' | 'trialing' | 'past_due' | 'canceled';
  currentPeriodEnd: string | null;
  cancelAtPeriodEnd: boolean;
  locale: 'zh-TW' | 'en';
}) {
  const { t } = useLocale();
  const date = props.currentPeriodEnd ? formatDate(props.currentPeriodEnd, props.locale) : null;
  const canceled = props.status === 'canceled' || props.cancelAtPeriodEnd;
  return (
    <>
      <dl className="details">
        <dt>{t.billing.plan}</dt>
        <dd>{props.planName[props.locale]}</dd>
        <dt>{t.billing.status}</dt>
        <dd>
          <span className={`badge ${canceled ? 'canceled' : props.status}`}>
            {t.billing.statuses[canceled ? 'canceled' : props.status]}
          </span>
        </dd>
      </dl>
      {canceled && date ? (
        <p className="notice warning" role="status">
          {t.billing.canceledUntil(date)}
        </p>
      ) : props.status === 'past_due' ? (
        <p className="notice danger" role="alert">
          {t.billing.pastDue}
        </p>
      ) : props.status === 'trialing' && date ? (
        <p className="notice">{t.billing.trialEndsOn(date)}</p>
      ) : date ? (
        <p className="muted">{t.billing.renewsOn(date)}</p>
      ) : null}
      <ManageBillingButton primary />
    </>
  );
}
