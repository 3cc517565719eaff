import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { FormField } from '../components/form-field';
import { describeError } from '../errors';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

export function SignUpPage() {
  const { t, locale } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const signUp = useMutation(
    trpc.auth.signUp.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        navigate('/account', { replace: true });
      },
    }),
  );
  const problem = signUp.error ? describeError(signUp.error, t) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const displayName = String(form.get('displayName') ?? '').trim();
    signUp.mutate({
      email: String(form.get('email')),
      password: String(form.get('password')),
      ...(displayName ? { displayName } : {}),
      locale,
    });
  }

  return (
    <section className="card narrow" aria-labelledby="sign-up-title">
      <h1 id="sign-up-title">{t.signUp.title}</h1>
      <form onSubmit={onSubmit} noValidate>
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
          error={problem?.fields.password}
        />
        <FormField label={t.form.displayName} name="displayName" autoComplete="nickname" />
        {problem?.message && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" className="button primary" disabled={signUp.isPending}>
          {signUp.isPending ? t.form.working : t.signUp.submit}
        </button>
      </form>
      <p className="muted">
        {t.signUp.haveAccount} <Link href="/sign-in">{t.signUp.signInInstead}</Link>
      </p>
    </section>
  );
}
