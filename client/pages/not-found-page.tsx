import { Link } from 'wouter';
import { useLocale } from '../i18n/locale';

export function NotFoundPage() {
  const { t } = useLocale();
  return (
    <section className="card narrow">
      <h1>{t.notFound.title}</h1>
      <Link href="/account">{t.notFound.back}</Link>
    </section>
  );
}
