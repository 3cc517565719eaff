import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Link } from 'wouter';
import { describeError } from '../errors';
import { forgetLinkToken, useLinkToken } from '../hooks/use-link-token';
import { useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

const PATH = '/report-email-change';

/**
 * "This was not me", from the mail to the old address. It acts on a click only: a mail scanner
 * that opens the link must not undo a change the user made.
 */
export function ReportEmailChangePage() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const token = useLinkToken(PATH);
  const check = useMutation(trpc.security.checkEmailChangeReport.mutationOptions());
  const report = useMutation(
    trpc.security.reportEmailChange.mutationOptions({
      onSuccess: async ({ outcome }) => {
        // Every session of the account has ended, this browser's too.
        if (outcome === 'reported') await queryClient.invalidateQueries();
      },
    }),
  );
  const { mutate } = check;
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return; // once, also under StrictMode's double effects
    started.current = true;
    mutate({ token });
  }, [token, mutate]);

  const outcome = report.data?.outcome ?? check.data?.outcome;
  useEffect(() => {
    if (outcome && outcome !== 'valid') forgetLinkToken(PATH);
  }, [outcome]);

  const error = report.error ?? check.error;
  if (error) {
    return (
      <section className="card narrow" aria-labelledby="report-title">
        <h1 id="report-title">{t.emailChange.invalidTitle}</h1>
        <p className="form-error" role="alert">
          {describeError(error, t).message}
        </p>
      </section>
    );
  }
  if (!outcome) {
    return (
      <section className="card narrow" aria-labelledby="report-title">
        <h1 id="report-title">{t.emailChange.checking}</h1>
      </section>
    );
  }
  if (outcome === 'valid') {
    return (
      <section className="card narrow" aria-labelledby="report-title">
        <h1 id="report-title">{t.emailChange.reportTitle}</h1>
        <p>{t.emailChange.reportIntro}</p>
        <button
          type="button"
          className="button primary"
          onClick={() => report.mutate({ token })}
          disabled={report.isPending}
        >
          {report.isPending ? t.form.working : t.emailChange.reportButton}
        </button>
      </section>
    );
  }
  if (outcome === 'reported') {
    const restored = report.data?.restored ?? false;
    return (
      <section className="card narrow" aria-labelledby="report-title">
        <h1 id="report-title">{t.emailChange.reportedTitle}</h1>
        <p role="status">{restored ? t.emailChange.reported : t.emailChange.reportedNotRestored}</p>
        {restored && (
          <Link href="/forgot-password" className="button primary">
            {t.emailChange.choosePassword}
          </Link>
        )}
      </section>
    );
  }
  const [title, text] =
    outcome === 'expired'
      ? [t.emailChange.expiredTitle, t.emailChange.reportExpired]
      : outcome === 'used'
        ? [t.emailChange.usedTitle, t.emailChange.reportUsed]
        : [t.emailChange.invalidTitle, t.emailChange.reportInvalid];
  return (
    <section className="card narrow" aria-labelledby="report-title">
      <h1 id="report-title">{title}</h1>
      <p role="status">{text}</p>
    </section>
  );
}
