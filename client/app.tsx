import { useEffect } from 'react';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { Layout } from './components/layout';
import { useMe } from './hooks/use-me';
import { useLocale } from './i18n/locale';
import { AccountPage } from './pages/account-page';
import { NotFoundPage } from './pages/not-found-page';
import { PricingPage } from './pages/pricing-page';
import { SignInPage } from './pages/sign-in-page';
import { SignUpPage } from './pages/sign-up-page';

export function App() {
  const me = useMe();
  const { t, setLocale } = useLocale();
  const [location] = useLocation();
  const signedIn = Boolean(me.data);
  const accountLocale = me.data?.locale;

  // Once signed in, the account's language wins over the browser's.
  useEffect(() => {
    if (accountLocale) setLocale(accountLocale);
  }, [accountLocale, setLocale]);

  useEffect(() => {
    document.title = t.appName;
  }, [t]);

  if (me.isPending) {
    return (
      <Layout signedIn={false}>
        <p className="muted" aria-live="polite">
          {t.form.working}
        </p>
      </Layout>
    );
  }
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
      <Switch>
        <Route path="/">{signedIn ? <Redirect to="/account" /> : <Redirect to="/sign-in" />}</Route>
        <Route path="/sign-in">{signedIn ? <Redirect to="/account" /> : <SignInPage />}</Route>
        <Route path="/sign-up">{signedIn ? <Redirect to="/account" /> : <SignUpPage />}</Route>
        <Route path="/pricing">
          <PricingPage signedIn={signedIn} />
        </Route>
        <Route path="/account">
          {me.data ? (
            <AccountPage user={me.data} />
          ) : (
            <Redirect to={`/sign-in?next=${encodeURIComponent(location)}`} />
          )}
        </Route>
        <Route>
          <NotFoundPage />
        </Route>
      </Switch>
    </Layout>
  );
}
