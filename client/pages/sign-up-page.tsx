import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { FormField } from '../components/form-field';
import { RetryCountdown } from '../components/retry-countdown';
import { describeError } from '../errors';
import { useFocusOnProblem } from '../hooks/use-focus-on-problem';
import { usePageTitle } from '../hooks/use-page-title';
import { useRetryCountdown } from '../hooks/use-retry-countdown';
import { useWeakPasswordReason } from '../hooks/use-weak-password-reason';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

export function SignUpPage() {
  const { t, locale } = useLocale();
  const trpc = useTRPC();
  // The answer is the same for a new and a registered address (no session either way), so the
  // next step is the mail: docs/decisions/0015-sign-up-reveals-no-account.md.
  const [sentTo, setSentTo] = useState<string | null>(null);
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: (_data, input) => setSentTo(input.email.trim()),
    }),
  );
  const problem = signUp.error ? describeError(signUp.error, t) : null;
  const weakPassword = useWeakPasswordReason(signUp.error);
  const countdown = useRetryCountdown(signUp.error);
  const form = useRef<HTMLFormElement>(null);
  useFocusOnProblem(form, signUp.error);
  usePageTitle(sentTo ? t.pageTitles.checkEmail : t.pageTitles.signUp);
  // The form gives way to "check your email": focus goes to its heading, not to the page's top.
  const sentHeading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (sentTo) sentHeading.current?.focus();
  }, [sentTo]);

  if (sentTo) {
    return (
      <section className="card narrow" aria-labelledby="check-email-title">
        <h1 id="check-email-title" ref={sentHeading} tabIndex={-1}>
          {t.checkEmail.title}
        </h1>
        <p role="status">{t.checkEmail.sent(sentTo)}</p>
        <p className="muted">{t.checkEmail.notArrived}</p>
        <p>
          <Link href="/sign-in">{t.checkEmail.signIn}</Link>
        </p>
      </section>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const displayName = String(data.get('displayName') ?? '').trim();
    signUp.mutate({
      email: String(data.get('email')),
      password: String(data.get('password')),
      ...(displayName ? { displayName } : {}),
      locale,
    });
  }

  return (
    <section className="card narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t.signUp.title}</h1>
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
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint={t.form.passwordHint}
          error={weakPassword ?? problem?.fields.password}
        />
        <FormField label={t.form.displayName} name="displayName" autoComplete="nickname" />
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
          disabled={signUp.isPending || (countdown !== null && countdown.left > 0)}
        >
          {signUp.isPending ? t.form.working : t.signUp.submit}
        </button>
      </form>
      <p className="muted">
        {t.signUp.haveAccount} <Link href="/sign-in">{t.signUp.signInInstead}</Link>
      </p>
    </section>
  );
}
