import { useEffect } from 'react';
import { useLocale } from '../i18n/locale';

/** The browser tab's title for this page, in the current language ("Pricing — Acme SaaS"). */
export function usePageTitle(page: string | null): void {
  const { t } = useLocale();
  useEffect(() => {
    document.title = page ? t.pageTitles.format(page, t.appName) : t.appName;
  }, [page, t]);
}
