import { useSearch } from 'wouter';
import { useLocale } from '../../i18n/locale';

/** Where the browser of a deleted account lands: the sign-in page, with the notice below. */
export const ACCOUNT_DELETED_PATH = '/sign-in?deleted=1';

/** On the sign-in page after the account was deleted. */
export function AccountDeletedNotice() {
  const { t } = useLocale();
  const search = useSearch();
  if (new URLSearchParams(search).get('deleted') !== '1') return null;
  return (
    <p className="notice success" role="status">
      {t.danger.deleted}
    </p>
  );
}
