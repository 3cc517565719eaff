import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { browserTimeZone, formatDateTime } from '../../format';
import type { Locale } from '../../i18n/locale';
import { useLocale } from '../../i18n/locale';
import type { Messages } from '../../i18n/messages';
import { type RouterOutputs, useTRPC } from '../../trpc';
import { deviceLabel } from './device-label';

type ActivityItem = RouterOutputs['activity']['list']['items'][number];
type Plans = RouterOutputs['billing']['plans'];

const PAGE_SIZE = 10;

/** The account's recent events, newest first, in the browser's time zone; "Load more" pages on. */
export function ActivitySection() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const activity = useInfiniteQuery(
    trpc.activity.list.infiniteQueryOptions(
      { limit: PAGE_SIZE },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const plans = useQuery(trpc.billing.plans.queryOptions(undefined, { staleTime: Infinity }));
  const items = activity.data?.pages.flatMap((page) => page.items) ?? [];

  // The account page's Activity section gives the heading (t.activity.title).
  return (
    <div className="card" aria-busy={activity.isPending}>
      <p className="muted">{t.activity.timeZone(browserTimeZone())}</p>
      {activity.isPending ? (
        <p className="muted">{t.activity.loading}</p>
      ) : activity.isError && items.length === 0 ? (
        <div className="notice warning" role="status">
          <p>{t.activity.unavailable}</p>
          <button type="button" className="button" onClick={() => activity.refetch()}>
            {t.activity.retry}
          </button>
        </div>
      ) : items.length === 0 ? (
        <p>{t.activity.empty}</p>
      ) : (
        <>
          <ol className="activity-list">
            {items.map((item) => (
              <ActivityEntry key={item.id} item={item} plans={plans.data} />
            ))}
          </ol>
          {activity.isFetchNextPageError && (
            <p className="form-error" role="alert">
              {t.activity.unavailable}
            </p>
          )}
          {activity.hasNextPage && (
            <button
              type="button"
              className="button"
              onClick={() => activity.fetchNextPage()}
              disabled={activity.isFetchingNextPage}
              aria-busy={activity.isFetchingNextPage}
            >
              {activity.isFetchingNextPage ? t.activity.loadingMore : t.activity.loadMore}
            </button>
          )}
        </>
      )}
    </div>
  );
}

function ActivityEntry({ item, plans }: { item: ActivityItem; plans: Plans | undefined }) {
  const { t, locale } = useLocale();
  const device = item.browser || item.os ? deviceLabel(t, item) : null;
  const origin = device && item.ip ? t.activity.from(device, item.ip) : (device ?? item.ip);
  return (
    <li className="activity-entry">
      <p className="activity-what">{describeEvent(item, t, locale, plans)}</p>
      <p className="muted">
        <time dateTime={item.createdAt}>{formatDateTime(item.createdAt, locale)}</time>
        {origin && <span className="activity-origin"> · {origin}</span>}
      </p>
    </li>
  );
}

/** One event in a sentence, with the facts its detail carries. */
export function describeEvent(
  item: Pick<ActivityItem, 'kind' | 'detail'>,
  t: Messages,
  locale: Locale,
  plans?: Plans,
): string {
  const events = t.activity.events;
  const { detail } = item;
  switch (item.kind) {
    case 'sign_in':
      return detail.method === 'email_link' ? events.signInWithLink : events.sign_in;
    case 'session_revoked':
      return detail.browser || detail.os
        ? events.sessionRevokedDevice(
            t.sessions.device(
              detail.browser ?? t.sessions.unknownBrowser,
              detail.os ?? t.sessions.unknownOs,
            ),
          )
        : events.session_revoked;
    case 'other_sessions_revoked': {
      const count = Number(detail.count);
      return count > 0 ? events.otherSessionsRevokedCount(count) : events.other_sessions_revoked;
    }
    case 'checkout_started': {
      if (!detail.plan) return events.checkout_started;
      const plan = plans?.find((candidate) => candidate.slug === detail.plan);
      return events.checkoutStartedPlan(plan ? plan.name[locale] : detail.plan);
    }
    case 'subscription_changed': {
      const status = detail.status as keyof Messages['billing']['statuses'] | undefined;
      const label = status && t.billing.statuses[status];
      return label ? events.subscriptionChangedStatus(label) : events.subscription_changed;
    }
    default:
      return item.kind in events ? events[item.kind] : events.unknown;
  }
}
