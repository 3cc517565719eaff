import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { type DescribedError, describeError } from '../../errors';
import { useMe } from '../../hooks/use-me';
import { useWeakPasswordReason } from '../../hooks/use-weak-password-reason';
import { useLocale } from '../../i18n/locale';
import type { Messages } from '../../i18n/messages';
import { isAppClientError, useTRPC } from '../../trpc';
import { FormField } from '../form-field';

/** Changing the password and the address; the page gives it its "Security" heading. */
export function SecuritySection() {
  const me = useMe();
  if (!me.data) return null;
  return (
    <div className="security-section">
      <ChangePasswordForm email={me.data.email} />
      <ChangeEmailForm email={me.data.email} />
    </div>
  );
}

function ChangePasswordForm({ email }: { email: string }) {
  const { t } = useLocale();
  const trpc = useTRPC();
  const titleId = useId();
  const change = useMutation(trpc.security.changePassword.mutationOptions());
  const weakPassword = useWeakPasswordReason(change.error);
  const problem = change.error ? describeProblem(change.error, t) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    change.mutate(
      {
        currentPassword: String(fields.get('currentPassword')),
        password: String(fields.get('password')),
      },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <section aria-labelledby={titleId} className="security-part">
      <h3 id={titleId}>{t.security.password}</h3>
      <form onSubmit={onSubmit} noValidate>
        {/* For password managers: whose password this is. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <FormField
          label={t.security.currentPassword}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={problem?.fields.currentPassword}
        />
        <FormField
          label={t.security.newPassword}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          maxLength={128}
          hint={t.form.passwordHint}
          error={weakPassword ?? problem?.fields.password}
        />
        <FormOutcome
          problem={problem}
          success={change.isSuccess ? t.security.passwordChanged : null}
        />
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? t.form.working : t.security.changePassword}
        </button>
      </form>
    </section>
  );
}

function ChangeEmailForm({ email }: { email: string }) {
  const { t } = useLocale();
  const trpc = useTRPC();
  const titleId = useId();
  const [sent, setSent] = useState<{ to: string; from: string } | null>(null);
  const change = useMutation(trpc.security.requestEmailChange.mutationOptions());
  const problem = change.error ? describeProblem(change.error, t) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const fields = new FormData(form);
    setSent(null);
    change.mutate(
      {
        email: String(fields.get('email')),
        currentPassword: String(fields.get('currentPassword')),
      },
      {
        onSuccess: ({ sentTo }) => {
          setSent({ to: sentTo, from: email });
          form.reset();
        },
      },
    );
  }

  return (
    <section aria-labelledby={titleId} className="security-part">
      <h3 id={titleId}>{t.security.email}</h3>
      <p className="muted">{t.security.currentEmail(email)}</p>
      <form onSubmit={onSubmit} noValidate>
        <FormField
          label={t.security.newEmail}
          name="email"
          type="email"
          autoComplete="email"
          required
          error={problem?.fields.email}
        />
        <FormField
          label={t.security.currentPassword}
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          error={problem?.fields.currentPassword}
        />
        <FormOutcome
          problem={problem}
          success={sent ? t.security.emailChangeSent(sent.to, sent.from) : null}
        />
        <button type="submit" className="button" disabled={change.isPending}>
          {change.isPending ? t.form.working : t.security.changeEmail}
        </button>
      </form>
    </section>
  );
}

function FormOutcome({
  problem,
  success,
}: {
  problem: DescribedError | null;
  success: string | null;
}) {
  return (
    <>
      {problem?.message && (
        <p className="form-error" role="alert">
          {problem.message}
        </p>
      )}
      <p className="form-success" role="status">
        {success}
      </p>
    </>
  );
}

/** The answers of these forms, each under the field it is about. */
function describeProblem(error: unknown, t: Messages): DescribedError {
  const data = isAppClientError(error) ? error.data : undefined;
  if (data?.reason === 'wrong_password') {
    return { message: null, fields: { currentPassword: t.security.wrongPassword } };
  }
  if (data?.reason === 'same_email') {
    return { message: null, fields: { email: t.security.sameEmail } };
  }
  const described = describeError(error, t);
  if (data?.reason === 'invalid_input' && data.fieldErrors?.currentPassword) {
    return {
      message: null,
      fields: { ...described.fields, currentPassword: t.security.currentPasswordMissing },
    };
  }
  return described;
}
