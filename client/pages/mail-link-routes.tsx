// "Forgot password" and the pages that links in mails open: each loads when first visited, so the
// account page does not download them.
import { type ComponentType, lazy, Suspense } from 'react';
import { useLocale } from '../i18n/locale';

const ForgotPassword = lazy(() =>
  import('./forgot-password-page').then((m) => ({ default: m.ForgotPasswordPage })),
);
const ResetPassword = lazy(() =>
  import('./reset-password-page').then((m) => ({ default: m.ResetPasswordPage })),
);
const ConfirmEmailChange = lazy(() =>
  import('./confirm-email-change-page').then((m) => ({ default: m.ConfirmEmailChangePage })),
);
const ReportEmailChange = lazy(() =>
  import('./report-email-change-page').then((m) => ({ default: m.ReportEmailChangePage })),
);

function Loading() {
  const { t } = useLocale();
  return (
    <p className="muted" aria-live="polite">
      {t.form.working}
    </p>
  );
}

function loaded<Props extends object>(Page: ComponentType<Props>) {
  return (props: Props) => (
    <Suspense fallback={<Loading />}>
      <Page {...props} />
    </Suspense>
  );
}

export const ForgotPasswordRoute = loaded(ForgotPassword);
export const ResetPasswordRoute = loaded(ResetPassword);
export const ConfirmEmailChangeRoute = loaded(ConfirmEmailChange);
export const ReportEmailChangeRoute = loaded(ReportEmailChange);
