import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { SubscriptionCard } from '../components/subscription-card';
import { describeError } from '../errors';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

export interface AccountUser {
  email: string;
  displayName: string;
}

export function AccountPage({ user }: { user: AccountUser }) {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const justSubscribed = new URLSearchParams(useSearch()).get('checkout') === 'success';
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        navigate('/sign-in', { replace: true });
      },
    }),
  );

  return (
    <>
      <h1>{t.account.title}</h1>
      {justSubscribed && (
        <p className="notice success" role="status">
          {t.billing.welcome}
        </p>
      )}
      <SubscriptionCard awaitingCheckout={justSubscribed} />
      <section className="card" aria-labelledby="profile-title">
        <h2 id="profile-title">{t.account.profile}</h2>
        <dl className="details">
          <dt>{t.account.email}</dt>
          <dd>{user.email}</dd>
          <dt>{t.account.displayName}</dt>
          <dd>{user.displayName}</dd>
        </dl>
        {signOut.error && (
          <p className="form-error" role="alert">
            {describeError(signOut.error, t).message}
          </p>
        )}
        <button
          type="button"
          className="button"
          onClick={() => signOut.mutate()}
          disabled={signOut.isPending}
        >
          {signOut.isPending ? t.account.signingOut : t.account.signOut}
        </button>
      </section>
    </>
  );
}
