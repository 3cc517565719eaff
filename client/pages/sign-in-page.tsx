import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { FormField } from '../components/form-field';
import { describeError } from '../errors';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

/** Only same-app paths are followed after sign-in, never another site. */
export function safeNextPath(search: string): string {
  const next = new URLSearchParams(search).get('next');
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/account';
}

export function SignInPage() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const search = useSearch();
  const signIn = useMutation(
    trpc.auth.signIn.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries();
        navigate(safeNextPath(search), { replace: true });
      },
    }),
  );
  const problem = signIn.error ? describeError(signIn.error, t) : null;
  const demo = useQuery(trpc.auth.demoAccount.queryOptions(undefined, { staleTime: Infinity }));

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    signIn.mutate({ email: String(form.get('email')), password: String(form.get('password')) });
  }

  return (
    <section className="card narrow" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t.signIn.title}</h1>
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
          autoComplete="current-password"
          required
          error={problem?.fields.password}
        />
        {problem?.message && (
          <p className="form-error" role="alert">
            {problem.message}
          </p>
        )}
        <button type="submit" className="button primary" disabled={signIn.isPending}>
          {signIn.isPending ? t.form.working : t.signIn.submit}
        </button>
      </form>
      <p className="muted">
        {t.signIn.noAccount} <Link href="/sign-up">{t.signIn.createOne}</Link>
      </p>
      {demo.data && (
        <p className="hint">{t.signIn.demoHint(demo.data.email, demo.data.password)}</p>
      )}
    </section>
  );
}
