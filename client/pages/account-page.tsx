import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { useLocation } from 'wouter';
import { AccountSection } from '../components/account/account-section';
import { ActivitySection } from '../components/account/activity-section';
import { DangerZone } from '../components/account/danger-zone';
import { ProfileSection } from '../components/account/profile-section';
import { SecuritySection } from '../components/account/security-section';
import { SessionsSection } from '../components/account/sessions-section';
import { SubscriptionCard } from '../components/subscription-card';
import { describeError } from '../errors';
import { usePageTitle } from '../hooks/use-page-title';
import { useLocale } from '../i18n/locale';
import { type RouterOutputs, useTRPC } from '../trpc';

export type AccountUser = NonNullable<RouterOutputs['auth']['me']>;

interface Section {
  /** The anchor: /account#billing. */
  id: string;
  title: string;
  content: ReactNode;
}

/**
 * The account page: sections in a fixed order (Profile, Security, Billing, Activity, Danger
 * zone), each with a heading, an anchor and an entry in the "on this page" links.
 */
export function AccountPage({ user }: { user: AccountUser }) {
  const { t } = useLocale();
  usePageTitle(t.pageTitles.account);
  // Recur's checkout returns to /account?checkout=success: the welcome is for this visit only,
  // so the address loses the flag at once (a reload or a later Back shows the plain page).
  const [justSubscribed] = useState(
    () => new URLSearchParams(window.location.search).get('checkout') === 'success',
  );
  const [, navigate] = useLocation();
  useEffect(() => {
    if (justSubscribed) navigate('/account', { replace: true });
  }, [justSubscribed, navigate]);

  const sections: Section[] = [
    { id: 'profile', title: t.account.profile, content: <ProfileSection user={user} /> },
    {
      id: 'security',
      title: t.accountPage.sections.security,
      content: (
        <>
          <div className="card">
            <SecuritySection />
          </div>
          <SessionsSection />
        </>
      ),
    },
    {
      id: 'billing',
      title: t.accountPage.sections.billing,
      content: <SubscriptionCard justSubscribed={justSubscribed} />,
    },
    { id: 'activity', title: t.activity.title, content: <ActivitySection /> },
    { id: 'danger-zone', title: t.danger.title, content: <DangerZone /> },
  ];

  return (
    <div className="account-page">
      <div className="page-heading">
        <h1>{t.account.title}</h1>
        <SignOutButton />
      </div>
      <nav className="section-nav" aria-label={t.accountPage.onThisPage}>
        <ul>
          {sections.map((section) => (
            <li key={section.id}>
              <a href={`#${section.id}`}>{section.title}</a>
            </li>
          ))}
        </ul>
      </nav>
      {sections.map((section) => (
        <AccountSection key={section.id} id={section.id} title={section.title}>
          {section.content}
        </AccountSection>
      ))}
    </div>
  );
}

function SignOutButton() {
  const { t } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [, navigate] = useLocation();
  const signOut = useMutation(
    trpc.auth.signOut.mutationOptions({
      onSettled: () => {
        queryClient.clear();
        navigate('/sign-in', { replace: true });
      },
    }),
  );
  return (
    <div className="sign-out">
      <button
        type="button"
        className="button"
        onClick={() => signOut.mutate()}
        disabled={signOut.isPending}
      >
        {signOut.isPending ? t.account.signingOut : t.account.signOut}
      </button>
      {signOut.error && (
        <p className="form-error" role="alert">
          {describeError(signOut.error, t).message}
        </p>
      )}
    </div>
  );
}
