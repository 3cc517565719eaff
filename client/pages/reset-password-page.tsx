import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { FormField } from '../components/form-field';
import { describeError } from '../errors';
import { forgetLinkToken, useLinkToken } from '../hooks/use-link-token';
import { useWeakPasswordReason } from '../hooks/use-weak-password-reason';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

const PATH = '/reset-password';

/** Where the reset mail links to: checks the link, then sets the new password with it. */
export function ResetPasswordPage() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const token = useLinkToken(PATH);
  const check = useMutation(trpc.security.checkPasswordReset.mutationOptions());
  const reset = useMutation(
    trpc.security.resetPassword.mutationOptions({
      onSuccess: async ({ outcome }) => {
        // Every session of the account has ended, this browser's too.
        if (outcome === 'reset') await queryClient.invalidateQueries();
      },
    }),
  );
  const weakPassword = useWeakPasswordReason(reset.error);
  const problem = reset.error && !weakPassword ? describeError(reset.error, t) : null;

  const { mutate } = check;
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // once, also under StrictMode's double effects
    started.current = true;
    mutate({ token });
  }, [token, mutate]);

  const outcome = reset.data?.outcome ?? check.data?.outcome;
  useEffect(() => {
    if (outcome && outcome !== 'valid') forgetLinkToken(PATH);
  }, [outcome]);

  if (check.error) {
    return (
      <section className="card narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">{t.passwordReset.invalidTitle}</h1>
        <p className="form-error" role="alert">
          {describeError(check.error, t).message}
        </p>
      </section>
    );
  }
  if (!outcome) {
    return (
      <section className="card narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">{t.passwordReset.checking}</h1>
      </section>
    );
  }
  if (outcome === 'reset') {
    return (
      <section className="card narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">{t.passwordReset.doneTitle}</h1>
        <p role="status">{t.passwordReset.done}</p>
        <Link href="/sign-in" className="button primary">
          {t.passwordReset.signIn}
        </Link>
      </section>
    );
  }
  if (outcome !== 'valid') {
    const [title, text] =
      outcome === 'expired'
        ? [t.passwordReset.expiredTitle, t.passwordReset.expired]
        : outcome === 'used'
          ? [t.passwordReset.usedTitle, t.passwordReset.used]
          : [t.passwordReset.invalidTitle, t.passwordReset.invalid];
    return (
      <section className="card narrow" aria-labelledby="reset-title">
        <h1 id="reset-title">{title}</h1>
        <p role="status">{text}</p>
        <Link href="/forgot-password" className="button primary">
          {t.passwordReset.askAgain}
        </Link>
      </section>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    reset.mutate({ token, password: String(form.get('password')) });
  }

  return (
    <section className="card narrow" aria-labelledby="reset-title">
      <h1 id="reset-title">{t.passwordReset.newTitle}</h1>
      <form onSubmit={onSubmit} noValidate>
        <FormField
          label={t.passwordReset.newPassword}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint={t.form.passwordHint}
          error={weakPassword ?? problem?.fields.password}
        />
        <p className="muted form-note">{t.passwordReset.signsOutEverywhere}</p>
        {problem?.message && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" className="button primary" disabled={reset.isPending}>
          {reset.isPending ? t.form.working : t.passwordReset.save}
        </button>
      </form>
    </section>
  );
}
