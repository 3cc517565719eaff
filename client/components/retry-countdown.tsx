import { useLocale } from '../i18n/locale';

/**
 * "Try again in 42 seconds", counting down on screen. Screen readers hear it once when it
 * appears and once when the wait is over, not every second.
 */
export function RetryCountdown({ left, total }: { left: number; total: number }) {
  const { t } = useLocale();
  const wait = (seconds: number) =>
    seconds > 90 ? t.rateLimit.waitMinutes(Math.ceil(seconds / 60)) : t.errors.rateLimited(seconds);
  return (
    <>
      <span aria-hidden="true">{left > 0 ? wait(left) : t.rateLimit.ready}</span>
      <span className="visually-hidden">{left > 0 ? wait(total) : t.rateLimit.ready}</span>
    </>
  );
}
