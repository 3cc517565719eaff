import { TRPCClientError } from '@trpc/client';
import { describe, expect, it } from 'vitest';
import type { AppRouter } from '../server/routers/app-router';
import { describeError, describeWeakPassword } from './errors';
import { en, zhTW } from './i18n/messages';
import { passwordFeedbackMessages } from './i18n/password-feedback';

describe('describeWeakPassword', () => {
  const feedback = { warning: 'similarToCommon', suggestions: ['anotherWord'] };

  it('puts zxcvbn’s reasons in English', () => {
    expect(describeWeakPassword(feedback, en, passwordFeedbackMessages.en)).toBe(
      'This password is too easy to guess. This is similar to a commonly used password. Add more words that are less common.',
    );
  });

  it('and in Traditional Chinese', () => {
    expect(describeWeakPassword(feedback, zhTW, passwordFeedbackMessages['zh-TW'])).toBe(
      '這個密碼太容易被猜到。這與常被使用的密碼很相似。再加入幾個較不常見的詞。',
    );
  });

  it('falls back to general advice for keys it does not know', () => {
    expect(
      describeWeakPassword(
        { warning: 'somethingNew', suggestions: [] },
        en,
        passwordFeedbackMessages.en,
      ),
    ).toBe('This password is too easy to guess. Use a few unrelated words.');
    expect(describeWeakPassword(null, zhTW, passwordFeedbackMessages['zh-TW'])).toBe(
      '這個密碼太容易被猜到。請使用幾個彼此無關的詞。',
    );
  });

  it('has a translation for every key zxcvbn-ts can send', async () => {
    const { translations: keys } = await import('@zxcvbn-ts/language-en');
    for (const messages of Object.values(passwordFeedbackMessages)) {
      expect(Object.keys(messages.warnings).sort()).toEqual(Object.keys(keys.warnings).sort());
      expect(Object.keys(messages.suggestions).sort()).toEqual(
        Object.keys(keys.suggestions).sort(),
      );
    }
  });

  it('says only the first sentence until the translations have loaded', () => {
    expect(describeWeakPassword(feedback, en)).toBe('This password is too easy to guess.');
  });
});

describe('describeError', () => {
  const serverError = (data: Record<string, unknown>) =>
    new TRPCClientError<AppRouter>('refused', {
      result: { error: { code: -32600, message: 'refused', data } },
    } as never);
  const shortPassword = serverError({
    reason: 'invalid_input',
    fieldErrors: { password: ['Password must be at least 8 characters.'] },
  });

  it('on sign-up, names the password rule', () => {
    expect(describeError(shortPassword, en)).toEqual({
      message: null,
      fields: { password: en.errors.passwordLength },
    });
  });

  it('on sign-in, a password that cannot be right is a wrong one, not a rule to learn', () => {
    expect(describeError(shortPassword, en, { form: 'sign-in' })).toEqual({
      message: en.errors.invalidCredentials,
      fields: {},
    });
  });

  it('says how long to wait, in seconds as the server said', () => {
    const limited = serverError({ reason: 'rate_limited', retryAfterSeconds: 1 });
    expect(describeError(limited, en).message).toBe('Too many attempts. Try again in 1 second.');
    expect(describeError(limited, zhTW).message).toBe('嘗試次數過多，請於 1 秒後再試。');
  });
});
