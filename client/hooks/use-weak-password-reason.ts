import { useEffect, useState } from 'react';
import { describeWeakPassword } from '../errors';
import { useLocale } from '../i18n/locale';
import type { PasswordFeedbackMessages } from '../i18n/password-feedback';
import { isAppClientError } from '../trpc';

type Texts = Record<'en' | 'zh-TW', PasswordFeedbackMessages>;

/**
 * Why the server refused a password (`weak_password`), in the user's language, or null for any
 * other outcome. The translations of zxcvbn's feedback load on first use.
 */
export function useWeakPasswordReason(error: unknown): string | null {
  const { t, locale } = useLocale();
  const [texts, setTexts] = useState<Texts | null>(null);
  const data = isAppClientError(error) ? error.data : undefined;
  const weak = data?.reason === 'weak_password';
  useEffect(() => {
    if (!weak || texts) return;
    let live = true;
    import('../i18n/password-feedback').then(
      (module) => {
        if (live) setTexts(module.passwordFeedbackMessages);
      },
      () => {
        // Offline mid-session: the first sentence says enough.
      },
    );
    return () => {
      live = false;
    };
  }, [weak, texts]);
  if (!weak) return null;
  return describeWeakPassword(data?.passwordFeedback, t, texts?.[locale]);
}
