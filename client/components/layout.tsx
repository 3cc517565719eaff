import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import { useFocusHeadingOnNavigation } from '../hooks/use-focus-heading-on-navigation';
import { type Locale, useLocale } from '../i18n/locale';
import { useTRPC } from '../trpc';
import { EmailVerificationBanner } from './email-verification-banner';

export function Layout({ children, signedIn }: { children: ReactNode; signedIn: boolean }) {
  const { t, locale, setLocale, chooseLocale } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [location] = useLocation();
  const saveLocale = useMutation(
    trpc.auth.setLocale.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() }),
    }),
  );
  useFocusHeadingOnNavigation();

  // On a phone the links fold into a menu, open on the page it was opened on: following a link
  // closes it. Escape closes it too.
  const [menuOpenOn, setMenuOpenOn] = useState<string | null>(null);
  const menuOpen = menuOpenOn === location;
  const menuButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!menuOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setMenuOpenOn(null);
      menuButton.current?.focus();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [menuOpen]);

  function changeLocale(next: Locale) {
    if (!signedIn) return chooseLocale(next);
    setLocale(next);
    saveLocale.mutate({ locale: next });
  }

  const navLink = (href: string, label: string) => (
    <li>
      <Link href={href} aria-current={location === href ? 'page' : undefined}>
        {label}
      </Link>
    </li>
  );

  return (
    <>
      <header className="site-header">
        <Link href="/" className="brand" aria-current={location === '/' ? 'page' : undefined}>
          {t.appName}
        </Link>
        <button
          ref={menuButton}
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="site-nav"
          onClick={() => setMenuOpenOn(menuOpen ? null : location)}
        >
          <span className="menu-icon" aria-hidden="true" />
          {t.header.menu}
        </button>
        <nav
          id="site-nav"
          aria-label={t.nav.label}
          className={menuOpen ? 'site-nav open' : 'site-nav'}
        >
          <ul>
            {navLink('/pricing', t.nav.pricing)}
            {signedIn ? (
              navLink('/account', t.nav.account)
            ) : (
              <>
                {navLink('/sign-in', t.nav.signIn)}
                {navLink('/sign-up', t.nav.signUp)}
              </>
            )}
          </ul>
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
      <main className="page">
        {signedIn && location !== '/verify-email' && <EmailVerificationBanner />}
        {children}
      </main>
    </>
  );
}
