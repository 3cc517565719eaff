import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { FormField } from '../components/form-field';
import { describeError } from '../errors';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

/** "Forgot password": the answer is the same whether or not the address has an account. */
export function ForgotPasswordPage() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const [sentTo, setSentTo] = useState<string | null>(null);
  const ask = useMutation(
    trpc.security.requestPasswordReset.mutationOptions({
      onSuccess: (_data, input) => setSentTo(input.email.trim()),
    }),
  );
  const problem = ask.error ? describeError(ask.error, t) : null;

  if (sentTo) {
    return (
      <section className="card narrow" aria-labelledby="forgot-title">
        <h1 id="forgot-title">{t.passwordReset.sentTitle}</h1>
        <p role="status">{t.passwordReset.sent(sentTo)}</p>
        <p className="muted">{t.passwordReset.notArrived}</p>
        <p>
          <Link href="/sign-in">{t.passwordReset.backToSignIn}</Link>
        </p>
      </section>
    );
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    ask.mutate({ email: String(form.get('email')) });
  }

  return (
    <section className="card narrow" aria-labelledby="forgot-title">
      <h1 id="forgot-title">{t.passwordReset.title}</h1>
      <p className="muted">{t.passwordReset.intro}</p>
      <form onSubmit={onSubmit} noValidate>
        <FormField
          label={t.form.email}
          name="email"
          type="email"
          autoComplete="email"
          required
          error={problem?.fields.email}
        />
        {problem?.message && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" className="button primary" disabled={ask.isPending}>
          {ask.isPending ? t.form.working : t.passwordReset.submit}
        </button>
      </form>
      <p className="muted">
        <Link href="/sign-in">{t.passwordReset.backToSignIn}</Link>
      </p>
    </section>
  );
}
