import { Link } from 'wouter';
import { usePageTitle } from '../hooks/use-page-title';
import { useLocale } from '../i18n/locale';

export function NotFoundPage() {
  const { t } = useLocale();
  usePageTitle(t.pageTitles.notFound);
  return (
    <section className="card narrow">
      <h1>{t.notFound.title}</h1>
      <Link href="/account">{t.notFound.back}</Link>
    </section>
  );
}
