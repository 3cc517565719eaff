import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { describeError } from '../errors';
import { usePageTitle } from '../hooks/use-page-title';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

/** Where the verification mail links to: `/verify-email?token=…`. */
export function VerifyEmailPage({ signedIn }: { signedIn: boolean }) {
  const { t } = useLocale();
  usePageTitle(t.pageTitles.verifyEmail);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  // Read once: the token leaves the address bar (and the history) as soon as the page has it.
  const [token] = useState(() => new URLSearchParams(window.location.search).get('token') ?? '');
  const verify = useMutation(
    trpc.auth.verifyEmail.mutationOptions({
      // The user may now be signed in, and is verified either way.
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );
  const { mutate } = verify;
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // once, also under StrictMode's double effects
    started.current = true;
    navigate('/verify-email', { replace: true });
    mutate({ token });
  }, [navigate, token, mutate]);

  if (verify.error) {
    return (
      <section className="card narrow" aria-labelledby="verify-title">
        <h1 id="verify-title">{t.verifyEmail.invalidTitle}</h1>
        <p className="form-error" role="alert">
          {describeError(verify.error, t).message}
        </p>
      </section>
    );
  }
  if (!verify.data) {
    return (
      <section className="card narrow" aria-labelledby="verify-title">
        <h1 id="verify-title">{t.verifyEmail.working}</h1>
      </section>
    );
  }

  const { outcome } = verify.data;
  const inSession = verify.data.signedIn || signedIn;
  const next = inSession ? (
    <Link href="/account" className="button primary">
      {t.verifyEmail.continue}
    </Link>
  ) : (
    <Link href="/sign-in" className="button primary">
      {t.verifyEmail.signIn}
    </Link>
  );
  const [title, text] =
    outcome === 'verified'
      ? [t.verifyEmail.verifiedTitle, inSession ? null : t.verifyEmail.signInToContinue]
      : outcome === 'expired'
        ? [t.verifyEmail.expiredTitle, t.verifyEmail.expired]
        : outcome === 'used'
          ? [t.verifyEmail.usedTitle, t.verifyEmail.used]
          : [t.verifyEmail.invalidTitle, t.verifyEmail.invalid];
  return (
    <section className="card narrow" aria-labelledby="verify-title">
      <h1 id="verify-title">{title}</h1>
      <div role="status">{text && <p>{text}</p>}</div>
      {next}
    </section>
  );
}
