import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { AccountDeletedNotice } from '../components/account/account-deleted-notice';
import { FormField } from '../components/form-field';
import { RetryCountdown } from '../components/retry-countdown';
import { describeError } from '../errors';
import { useFocusOnProblem } from '../hooks/use-focus-on-problem';
import { usePageTitle } from '../hooks/use-page-title';
import { useRetryCountdown } from '../hooks/use-retry-countdown';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

/** Only same-app paths are followed after sign-in, never another site. */
export function safeNextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/account';
}

type MissingFields = { email?: string; password?: string };

export function SignInPage() {
  const { t, takeVisitChoice } = useLocale();
  usePageTitle(t.pageTitles.signIn);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const search = useSearch();
  const saveLocale = useMutation(trpc.auth.setLocale.mutationOptions());
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: async () => {
        // A language picked on this visit wins over the one the account saved, and becomes it.
        // Should saving fail, the account's own language is used instead.
        const choice = takeVisitChoice();
        if (choice) await saveLocale.mutateAsync({ locale: choice }).catch(() => undefined);
        await queryClient.invalidateQueries();
        navigate(safeNextPath(search), { replace: true });
      },
    }),
  );
  // Checked here: an empty field is not worth a request (nor a rate-limit count).
  const [missing, setMissing] = useState<MissingFields | null>(null);
  const problem = missing
    ? { message: null, fields: missing }
    : signIn.error
      ? describeError(signIn.error, t, { form: 'sign-in' })
      : null;
  const countdown = useRetryCountdown(signIn.error);
  const waiting = countdown !== null && countdown.left > 0;
  const form = useRef<HTMLFormElement>(null);
  useFocusOnProblem(form, missing ?? signIn.error);
  const demo = useQuery(trpc.auth.demoAccount.queryOptions(undefined, { staleTime: Infinity }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const email = String(data.get('email') ?? '');
    const password = String(data.get('password') ?? '');
    const empty: MissingFields = {
      ...(email.trim() ? {} : { email: t.signInChecks.enterEmail }),
      ...(password ? {} : { password: t.signInChecks.enterPassword }),
    };
    if (empty.email || empty.password) {
      signIn.reset();
      setMissing(empty);
      return;
    }
    setMissing(null);
    signIn.mutate({ email, password });
  }

  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.signIn.title}</h1>
      <AccountDeletedNotice />
      <form ref={form} onSubmit={onSubmit} noValidate>
        <FormField
          label={t.form.email}
          name="email"
          type="email"
          autoComplete="email"
          required
          error={problem?.fields.email}
        />
        <FormField
          label={t.form.password}
          name="password"
          type="password"
          autoComplete="current-password"
          required
          error={problem?.fields.password}
        />
        {countdown ? (
          <p className="form-error" role="alert" tabIndex={-1} data-problem>
            <RetryCountdown {...countdown} />
          </p>
        ) : (
          problem?.message && (
            <p className="form-error" role="alert" tabIndex={-1} data-problem>
              {problem.message}
            </p>
          )
        )}
        <button
          type="submit"
          className="button primary"
          disabled={signIn.isPending || signIn.isSuccess || waiting}
        >
          {signIn.isPending || signIn.isSuccess ? t.form.working : t.signIn.submit}
        </button>
      </form>
      <p className="forgot-password">
        <Link href="/forgot-password">{t.passwordReset.forgotLink}</Link>
      </p>
      <p className="muted">
        {t.signIn.noAccount} <Link href="/sign-up">{t.signIn.createOne}</Link>
      </p>
      {demo.data && (
        <p className="hint">{t.signIn.demoHint(demo.data.email, demo.data.password)}</p>
      )}
    </section>
  );
}
