import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'wouter';
import { type Locale, useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';

export function Layout({ children, signedIn }: { children: ReactNode; signedIn: boolean }) {
  const { t, locale, setLocale } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saveLocale = useMutation(
    trpc.auth.setLocale.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );

  function changeLocale(next: Locale) {
    setLocale(next);
    if (signedIn) saveLocale.mutate({ locale: next });
  }

  return (
    <>
      <header className="site-header">
        <Link href={signedIn ? '/account' : '/sign-in'} className="brand">
          {t.appName}
        </Link>
        <nav aria-label={t.nav.label}>
          <Link href="/pricing">{t.nav.pricing}</Link>
          {signedIn ? (
            <Link href="/account">{t.nav.account}</Link>
          ) : (
            <>
              <Link href="/sign-in">{t.nav.signIn}</Link>
              <Link href="/sign-up">{t.nav.signUp}</Link>
            </>
          )}
          <label className="language">
            <span className="visually-hidden">{t.language.label}</span>
            <select
              value={locale}
              onChange={(event) => changeLocale(event.target.value as Locale)}
              aria-label={t.language.label}
            >
              <option value="zh-TW">{t.language['zh-TW']}</option>
              <option value="en">{t.language.en}</option>
            </select>
          </label>
        </nav>
      </header>
      <main className="page">{children}</main>
    </>
  );
}
