import { lazy, Suspense, useEffect } from 'react';
import { Redirect, Route, Switch, useLocation, useSearch } from 'wouter';
import { Layout } from './components/layout';
import { useMe } from './hooks/use-me';
import { useLocale } from './i18n/locale';
import { AccountPage } from './pages/account-page';
import {
  ConfirmEmailChangeRoute,
  ForgotPasswordRoute,
  ReportEmailChangeRoute,
  ResetPasswordRoute,
} from './pages/mail-link-routes';
import { NotFoundPage } from './pages/not-found-page';
import { PricingPage } from './pages/pricing-page';
import { SignInPage, safeNextPath } from './pages/sign-in-page';

// Pages a signed-in user on their account does not need load on first visit, outside the main
// bundle (the account page's budget: bench/bundle-size.ts).
const HomePage = lazy(() => import('./pages/home-page').then((m) => ({ default: m.HomePage })));
const SignUpPage = lazy(() =>
  import('./pages/sign-up-page').then((m) => ({ default: m.SignUpPage })),
);
const VerifyEmailPage = lazy(() =>
  import('./pages/verify-email-page').then((m) => ({ default: m.VerifyEmailPage })),
);

export function App() {
  const me = useMe();
  const { t, setLocale } = useLocale();
  const [location] = useLocation();
  const search = useSearch();
  const signedIn = Boolean(me.data);
  const accountLocale = me.data?.locale;
  // Signed in, the account's language wins over the browser's (sign-in has already saved a
  // language picked on this visit to the account: client/pages/sign-in-page.tsx).
  useEffect(() => {
    if (accountLocale) setLocale(accountLocale);
  }, [accountLocale, setLocale]);

  const working = (
    <p className="muted" aria-live="polite">
      {t.form.working}
    </p>
  );
  if (me.isPending) return <Layout signedIn={false}>{working}</Layout>;
  if (me.isError) {
    return (
      <Layout signedIn={false}>
        <p className="form-error" role="alert">
          {t.errors.network}
        </p>
      </Layout>
    );
  }

  return (
    <Layout signedIn={signedIn}>
      <Suspense fallback={working}>
        <Switch>
          <Route path="/">
            <HomePage user={me.data ?? null} />
          </Route>
          <Route path="/sign-in">
            {signedIn ? <Redirect to={safeNextPath(search)} replace /> : <SignInPage />}
          </Route>
          <Route path="/sign-up">
            {signedIn ? <Redirect to="/account" replace /> : <SignUpPage />}
          </Route>
          <Route path="/verify-email">
            <VerifyEmailPage signedIn={signedIn} />
          </Route>
          <Route path="/forgot-password">
            <ForgotPasswordRoute />
          </Route>
          <Route path="/reset-password">
            <ResetPasswordRoute />
          </Route>
          <Route path="/confirm-email-change">
            <ConfirmEmailChangeRoute signedIn={signedIn} />
          </Route>
          <Route path="/report-email-change">
            <ReportEmailChangeRoute />
          </Route>
          <Route path="/pricing">
            <PricingPage user={me.data ?? null} />
          </Route>
          <Route path="/account">
            {me.data ? (
              <AccountPage user={me.data} />
            ) : (
              <Redirect to={`/sign-in?next=${encodeURIComponent(location)}`} replace />
            )}
          </Route>
          <Route>
            <NotFoundPage />
          </Route>
        </Switch>
      </Suspense>
    </Layout>
  );
}
