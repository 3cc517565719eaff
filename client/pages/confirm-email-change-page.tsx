import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { describeError } from '../errors';
import { forgetLinkToken, useLinkToken } from '../hooks/use-link-token';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

const PATH = '/confirm-email-change';

/** Where the mail to a new address links to: the change takes effect as the page opens. */
export function ConfirmEmailChangePage({ signedIn }: { signedIn: boolean }) {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const token = useLinkToken(PATH);
  const confirm = useMutation(
    trpc.security.confirmEmailChange.mutationOptions({
      onSuccess: () => {
        forgetLinkToken(PATH);
        return queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
      },
    }),
  );
  const { mutate } = confirm;
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // once, also under StrictMode's double effects
    started.current = true;
    mutate({ token });
  }, [token, mutate]);

  if (confirm.error) {
    return (
      <section className="card narrow" aria-labelledby="email-change-title">
        <h1 id="email-change-title">{t.emailChange.invalidTitle}</h1>
        <p className="form-error" role="alert">
          {describeError(confirm.error, t).message}
        </p>
      </section>
    );
  }
  if (!confirm.data) {
    return (
      <section className="card narrow" aria-labelledby="email-change-title">
        <h1 id="email-change-title">{t.emailChange.confirming}</h1>
      </section>
    );
  }

  const { outcome, email } = confirm.data;
  const [title, text] =
    outcome === 'changed'
      ? [t.emailChange.changedTitle, t.emailChange.changed(email ?? '')]
      : outcome === 'taken'
        ? [t.emailChange.takenTitle, t.emailChange.taken]
        : outcome === 'expired'
          ? [t.emailChange.expiredTitle, t.emailChange.expired]
          : outcome === 'used'
            ? [t.emailChange.usedTitle, t.emailChange.used]
            : [t.emailChange.invalidTitle, t.emailChange.invalid];
  return (
    <section className="card narrow" aria-labelledby="email-change-title">
      <h1 id="email-change-title">{title}</h1>
      <p role="status">{text}</p>
      {signedIn ? (
        <Link href="/account" className="button primary">
          {t.emailChange.continue}
        </Link>
      ) : (
        <Link href="/sign-in" className="button primary">
          {t.emailChange.signIn}
        </Link>
      )}
    </section>
  );
}
