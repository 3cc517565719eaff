import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '../../errors';
import { formatDateTime } from '../../format';
import { useLocale } from '../../i18n/locale';
import { isAppClientError, type RouterOutputs, useTRPC } from '../../trpc';
import { deviceLabel } from './device-label';

type SessionView = RouterOutputs['sessions']['list'][number];

/** The devices signed in to the account, each of which can be signed out from here. */
export function SessionsSection() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const sessions = useQuery(trpc.sessions.list.queryOptions());
  const [outcome, setOutcome] = useState<string | null>(null);

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.sessions.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.activity.list.pathKey() }),
    ]);
  const revoke = useMutation(
    trpc.sessions.revoke.mutationOptions({
      onError: (error) =>
        setOutcome(
          isAppClientError(error) && error.data?.reason === 'session_not_found'
            ? t.sessions.alreadyEnded
            : describeError(error, t).message,
        ),
      onSettled: refresh,
    }),
  );
  const revokeOthers = useMutation(
    trpc.sessions.revokeOthers.mutationOptions({
      onSuccess: ({ count }) => setOutcome(t.sessions.signedOutOthers(count)),
      onError: (error) => setOutcome(describeError(error, t).message),
      onSettled: refresh,
    }),
  );
  const busy = revoke.isPending || revokeOthers.isPending;
  const others = sessions.data?.filter((session) => !session.current).length ?? 0;

  return (
    <section className="card" aria-labelledby="sessions-title" aria-busy={sessions.isPending}>
      <h3 id="sessions-title">{t.sessions.title}</h3>
      <p className="muted">{t.sessions.intro}</p>
      {sessions.isPending ? (
        <p className="muted">{t.sessions.loading}</p>
      ) : sessions.isError ? (
        <div className="notice warning" role="status">
          <p>{t.sessions.unavailable}</p>
          <button type="button" className="button" onClick={() => sessions.refetch()}>
            {t.sessions.retry}
          </button>
        </div>
      ) : (
        <>
          <ul className="device-list">
            {sessions.data.map((session) => (
              <SessionItem
                key={session.id}
                session={session}
                disabled={busy}
                pending={revoke.isPending && revoke.variables?.id === session.id}
                onSignOut={(device) => {
                  setOutcome(null);
                  revoke.mutate(
                    { id: session.id },
                    { onSuccess: () => setOutcome(t.sessions.signedOutDevice(device)) },
                  );
                }}
              />
            ))}
          </ul>
          {others > 0 && (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                setOutcome(null);
                revokeOthers.mutate();
              }}
            >
              {revokeOthers.isPending ? t.sessions.signingOut : t.sessions.signOutOthers}
            </button>
          )}
        </>
      )}
      <p className="muted device-outcome" role="status">
        {outcome}
      </p>
    </section>
  );
}

function SessionItem({
  session,
  disabled,
  pending,
  onSignOut,
}: {
  session: SessionView;
  disabled: boolean;
  pending: boolean;
  onSignOut: (device: string) => void;
}) {
  const { t, locale } = useLocale();
  const device = deviceLabel(t, session);
  return (
    <li className="device">
      <p className="device-name">
        <strong>{device}</strong>
        {session.current && <span className="badge active">{t.sessions.thisDevice}</span>}
      </p>
      <dl className="device-facts">
        <div>
          <dt>{t.sessions.ip}</dt>
          <dd>{session.ip ?? t.sessions.unknownIp}</dd>
        </div>
        <div>
          <dt>{t.sessions.signedIn}</dt>
          <dd>
            <time dateTime={session.createdAt}>{formatDateTime(session.createdAt, locale)}</time>
          </dd>
        </div>
        <div>
          <dt>{t.sessions.lastActive}</dt>
          <dd>
            <time dateTime={session.lastSeenAt}>{formatDateTime(session.lastSeenAt, locale)}</time>
          </dd>
        </div>
      </dl>
      {!session.current && (
        <button
          type="button"
          className="button"
          aria-label={pending ? t.sessions.signingOut : t.sessions.signOutDevice(device)}
          disabled={disabled}
          onClick={() => onSignOut(device)}
        >
          {pending ? t.sessions.signingOut : t.sessions.signOut}
        </button>
      )}
    </li>
  );
}
