import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { describeError } from '../../errors';
import { useFocusOnProblem } from '../../hooks/use-focus-on-problem';
import { type Locale, useLocale } from '../../i18n/locale';
import { isAppClientError, type RouterOutputs, useTRPC } from '../../trpc';
import { FormField } from '../form-field';

type Me = NonNullable<RouterOutputs['auth']['me']>;

/**
 * The email address (shown; changing it is the Security section's) and the display name and
 * language, saved with profile.update. Fields follow the account until the user edits them.
 */
export function ProfileSection({ user }: { user: Me }) {
  const { t, setLocale } = useLocale();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [nameDraft, setNameDraft] = useState<string | null>(null);
  const [localeDraft, setLocaleDraft] = useState<Locale | null>(null);
  const [emptyName, setEmptyName] = useState<object | null>(null);
  const update = useMutation(
    trpc.profile.update.mutationOptions({
      onSuccess: (profile) => {
        queryClient.setQueryData(trpc.auth.me.queryKey(), (old) => old && { ...old, ...profile });
        void queryClient.invalidateQueries({ queryKey: trpc.auth.me.queryKey() });
        setLocale(profile.locale);
        setNameDraft(null);
        setLocaleDraft(null);
      },
    }),
  );
  const displayName = nameDraft ?? user.displayName;
  const language = localeDraft ?? user.locale;
  const form = useRef<HTMLFormElement>(null);
  useFocusOnProblem(form, emptyName ?? update.error);

  const serverProblem = update.error ? describeError(update.error, t) : null;
  const nameError = emptyName
    ? t.profile.displayNameRequired
    : isAppClientError(update.error) && update.error.data?.fieldErrors?.displayName
      ? t.profile.displayNameInvalid
      : undefined;
  const formError = nameError ? null : serverProblem?.message;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = displayName.trim();
    if (!name) {
      update.reset();
      setEmptyName({});
      return;
    }
    setEmptyName(null);
    update.mutate({
      ...(name !== user.displayName ? { displayName: name } : {}),
      ...(language !== user.locale ? { locale: language } : {}),
    });
  }

  function edited() {
    setEmptyName(null);
    if (!update.isPending) update.reset();
  }

  return (
    <div className="card profile">
      <dl className="details">
        <dt>{t.account.email}</dt>
        <dd className="email">{user.email}</dd>
      </dl>
      <form ref={form} onSubmit={onSubmit} noValidate>
        <FormField
          label={t.profile.displayName}
          name="displayName"
          autoComplete="nickname"
          required
          maxLength={80}
          value={displayName}
          onChange={(event) => {
            setNameDraft(event.target.value);
            edited();
          }}
          hint={t.profile.displayNameHint}
          error={nameError}
        />
        <LanguageField
          value={language}
          onChange={(next) => {
            setLocaleDraft(next);
            edited();
          }}
        />
        {formError && (
          <p className="form-error" role="alert" tabIndex={-1} data-problem>
            {formError}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={update.isPending}>
            {update.isPending ? t.profile.saving : t.profile.save}
          </button>
          <p role="status" className="saved">
            {update.isSuccess ? t.profile.saved : null}
          </p>
        </div>
      </form>
    </div>
  );
}

function LanguageField({ value, onChange }: { value: Locale; onChange: (next: Locale) => void }) {
  const { t } = useLocale();
  return (
    <div className="field">
      <label htmlFor="profile-language">{t.profile.language}</label>
      <select
        id="profile-language"
        name="locale"
        value={value}
        onChange={(event) => onChange(event.target.value as Locale)}
        aria-describedby="profile-language-hint"
      >
        <option value="zh-TW">{t.language['zh-TW']}</option>
        <option value="en">{t.language.en}</option>
      </select>
      <p className="field-hint" id="profile-language-hint">
        {t.profile.languageHint}
      </p>
    </div>
  );
}
