import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { describeError } from '../../errors';
import { useLocale } from '../../i18n/locale';
import { isAppClientError, useTRPC } from '../../trpc';
import { FormField } from '../form-field';
import { ManageBillingButton } from '../manage-billing-button';
import { ACCOUNT_DELETED_PATH } from './account-deleted-notice';

/** Deleting the account: behind the password, and only once no subscription gives access. */
export function DangerZone() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const [open, setOpen] = useState(false);
  // After "Cancel", focus goes back to the button that opened the form.
  const refocus = useRef(false);
  const remove = useMutation(
    trpc.account.delete.mutationOptions({
      onSuccess: () => {
        queryClient.clear();
        navigate(ACCOUNT_DELETED_PATH, { replace: true });
      },
    }),
  );

  const reason = isAppClientError(remove.error) ? remove.error.data?.reason : undefined;
  const passwordError = reason === 'wrong_password' ? t.danger.wrongPassword : undefined;
  const problem =
    !remove.error || reason === 'wrong_password'
      ? null
      : reason === 'subscription_active'
        ? t.danger.subscriptionActive
        : reason === 'billing_unavailable'
          ? t.danger.billingUnavailable
          : describeError(remove.error, t).message;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const password = String(new FormData(event.currentTarget).get('password') ?? '');
    remove.mutate({ password });
  }

  // The account page's Danger zone section gives the heading (t.danger.title).
  return (
    <div className="card danger-zone">
      <h3>{t.danger.heading}</h3>
      <p>{t.danger.intro}</p>
      {!open ? (
        <button
          type="button"
          className="button danger"
          ref={(button) => {
            if (button && refocus.current) button.focus();
            refocus.current = false;
          }}
          onClick={() => setOpen(true)}
        >
          {t.danger.start}
        </button>
      ) : (
        <form onSubmit={onSubmit} noValidate>
          <FormField
            label={t.danger.password}
            name="password"
            type="password"
            autoComplete="current-password"
            required
            autoFocus
            hint={t.danger.passwordHint}
            error={passwordError}
          />
          {problem && (
            <p className="form-error" role="alert">
              {problem}
            </p>
          )}
          {reason === 'subscription_active' && <ManageBillingButton primary />}
          <div className="danger-actions">
            <button type="submit" className="button danger" disabled={remove.isPending}>
              {remove.isPending ? t.danger.deleting : t.danger.confirm}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                remove.reset();
                refocus.current = true;
                setOpen(false);
              }}
            >
              {t.danger.cancel}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
