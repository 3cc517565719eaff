import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { RouterOutputs } from '../trpc';
import { en, type Messages, zhTW } from './messages';

export type Locale = NonNullable<RouterOutputs['auth']['me']>['locale'];
const STORAGE_KEY = 'locale';
/** In sessionStorage: the language the visitor picked on this visit (this tab), before signing in. */
const VISIT_CHOICE_KEY = 'locale-chosen';

const isLocale = (value: unknown): value is Locale => value === 'en' || value === 'zh-TW';

function browserLocale(): Locale {
  return navigator.languages.some((lang) => lang.toLowerCase().startsWith('zh')) ? 'zh-TW' : 'en';
}

/** First visit: the browser's language; afterwards the last choice (and the account's, once signed in). */
export function initialLocale(): Locale {
  const stored = localStorage.getItem(STORAGE_KEY);
  return isLocale(stored) ? stored : browserLocale();
}

/**
 * This visit's own choice of language: one picked with the switch before signing in, or, on a
 * device that remembers no language yet, the browser's. Null when the language shown is only
 * what this device remembered from before.
 */
function initialVisitChoice(): Locale | null {
  const picked = sessionStorage.getItem(VISIT_CHOICE_KEY);
  if (isLocale(picked)) return picked;
  return localStorage.getItem(STORAGE_KEY) === null ? browserLocale() : null;
}

interface LocaleState {
  locale: Locale;
  t: Messages;
  /**
   * Shows `locale` and remembers it on this device: the account's language, or a signed-in
   * switch (saved to the account by the caller).
   */
  setLocale: (locale: Locale) => void;
  /** A signed-out visitor's pick: shown, remembered, and saved to the account at sign-in. */
  chooseLocale: (locale: Locale) => void;
  /**
   * At sign-in: this visit's choice, which wins over the account's saved language (the caller
   * saves it to the account), or null to follow the account. Asked once: later sign-ins in this
   * tab follow their account unless the visitor picks again.
   */
  takeVisitChoice: () => Locale | null;
}

const LocaleContext = createContext<LocaleState | null>(null);

export function LocaleProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);
  const visitChoice = useRef<Locale | null | undefined>(undefined);
  if (visitChoice.current === undefined) visitChoice.current = initialVisitChoice();
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const forgetVisitChoice = useCallback(() => {
    visitChoice.current = null;
    sessionStorage.removeItem(VISIT_CHOICE_KEY);
  }, []);
  const setLocale = useCallback(
    (next: Locale) => {
      forgetVisitChoice();
      localStorage.setItem(STORAGE_KEY, next);
      setLocaleState(next);
    },
    [forgetVisitChoice],
  );
  const chooseLocale = useCallback(
    (next: Locale) => {
      setLocale(next);
      visitChoice.current = next;
      sessionStorage.setItem(VISIT_CHOICE_KEY, next);
    },
    [setLocale],
  );
  const takeVisitChoice = useCallback(() => {
    const choice = visitChoice.current ?? null;
    forgetVisitChoice();
    return choice;
  }, [forgetVisitChoice]);
  const value = useMemo<LocaleState>(
    () => ({
      locale,
      t: locale === 'en' ? en : zhTW,
      setLocale,
      chooseLocale,
      takeVisitChoice,
    }),
    [locale, setLocale, chooseLocale, takeVisitChoice],
  );
  return <LocaleContext.Provider value={value}>{children}</LocaleContext.Provider>;
}

export function useLocale(): LocaleState {
  const state = useContext(LocaleContext);
  if (!state) throw new Error('useLocale must be used inside <LocaleProvider>');
  return state;
}
