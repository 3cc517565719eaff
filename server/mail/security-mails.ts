// The mails of password and address changes, in the user's language, as HTML and plain text.
// Like the account mails they carry no text anyone typed (not even the new address, which the
// person asking for the change chose), and every link is built from APP_URL.
import type { Locale } from '../../db/schema';
import { type MailText, render as renderMail } from './account-mails';
import type { OutgoingMail } from './mailer';
import { PRODUCT_NAME } from './product';

export const passwordResetText: Record<Locale, (minutes: number) => MailText> = {
  en: (minutes) => ({
    subject: `Reset your ${PRODUCT_NAME} password`,
    lead: [`Someone asked to reset the password of the ${PRODUCT_NAME} account with this address.`],
    button: 'Choose a new password',
    after: [
      `The link works once and expires in ${minutes} minutes.`,
      'If you did not ask for this, ignore this email: your password stays as it is.',
    ],
  }),
  'zh-TW': (minutes) => ({
    subject: `重設您的 ${PRODUCT_NAME} 密碼`,
    lead: [`有人要求重設以這個電子郵件地址註冊的 ${PRODUCT_NAME} 帳戶密碼。`],
    button: '設定新密碼',
    after: [
      `此連結只能使用一次，將於 ${minutes} 分鐘後失效。`,
      '如果這不是您提出的要求，請忽略這封信，您的密碼不會有任何變更。',
    ],
  }),
};

export type PasswordChange = 'reset' | 'changed';

export const passwordChangedText: Record<Locale, (how: PasswordChange) => MailText> = {
  en: (how) => ({
    subject: `Your ${PRODUCT_NAME} password was changed`,
    lead: [
      how === 'reset'
        ? `The password of your ${PRODUCT_NAME} account was just reset with a link sent to this address. Every device signed in to the account was signed out.`
        : `The password of your ${PRODUCT_NAME} account was just changed. Every other device signed in to the account was signed out.`,
      'If it was not you, reset your password now and check the activity on your account.',
    ],
    button: 'Reset my password',
    after: ['If it was you, there is nothing else to do.'],
  }),
  'zh-TW': (how) => ({
    subject: `您的 ${PRODUCT_NAME} 密碼已變更`,
    lead: [
      how === 'reset'
        ? `您的 ${PRODUCT_NAME} 帳戶密碼剛剛透過寄到這個地址的連結重設，所有已登入這個帳戶的裝置都已登出。`
        : `您的 ${PRODUCT_NAME} 帳戶密碼剛剛變更，其他已登入這個帳戶的裝置都已登出。`,
      '如果不是您本人，請立即重設密碼，並查看帳戶的活動紀錄。',
    ],
    button: '重設我的密碼',
    after: ['如果是您本人，就不需要再做什麼。'],
  }),
};

export const emailChangeText: Record<Locale, (hours: number) => MailText> = {
  en: (hours) => ({
    subject: `Confirm your new email address for ${PRODUCT_NAME}`,
    lead: [
      `Someone asked to use this address for their ${PRODUCT_NAME} account. Confirm that it is yours to make the change: until then, the account keeps its current address.`,
    ],
    button: 'Confirm my new address',
    after: [
      `The link works once and expires in ${hours} hours.`,
      'If you did not ask for this, ignore this email: nothing changes without the link.',
    ],
  }),
  'zh-TW': (hours) => ({
    subject: `請確認您在 ${PRODUCT_NAME} 的新電子郵件地址`,
    lead: [
      `有人要求將這個地址設為其 ${PRODUCT_NAME} 帳戶的電子郵件地址。請確認這是您的地址以完成變更；在確認之前，帳戶會繼續使用目前的地址。`,
    ],
    button: '確認我的新地址',
    after: [
      `此連結只能使用一次，將於 ${hours} 小時後失效。`,
      '如果這不是您提出的要求，請忽略這封信；沒有點選連結，就不會有任何變更。',
    ],
  }),
};

export const emailInUseText: Record<Locale, () => MailText> = {
  en: () => ({
    subject: `Someone asked to use your address for another ${PRODUCT_NAME} account`,
    lead: [
      `Someone asked to move another ${PRODUCT_NAME} account to this email address. This address already belongs to your account, so nothing changed and it stays yours.`,
      'If it was you, sign in to this account instead, or give it another address first.',
    ],
    button: 'Sign in',
    after: ['If it was not you, you can ignore this email: your account has not changed.'],
  }),
  'zh-TW': () => ({
    subject: `有人要求將您的電子郵件地址用於另一個 ${PRODUCT_NAME} 帳戶`,
    lead: [
      `有人要求將另一個 ${PRODUCT_NAME} 帳戶改用這個電子郵件地址。由於這個地址已屬於您的帳戶，系統沒有做任何變更，地址仍然屬於您。`,
      '如果是您本人，請改為登入這個帳戶，或先替它設定另一個地址。',
    ],
    button: '登入',
    after: ['如果不是您本人，可以忽略這封信，您的帳戶沒有任何變更。'],
  }),
};

export const emailChangedText: Record<Locale, (days: number) => MailText> = {
  en: (days) => ({
    subject: `The email address of your ${PRODUCT_NAME} account was changed`,
    lead: [
      `The email address of your ${PRODUCT_NAME} account was just changed from this address to another one, which was confirmed. Mail about the account now goes there.`,
      'If it was not you, secure your account: the link signs out every device, gives the account this address back, and lets you choose a new password.',
    ],
    button: 'This was not me',
    after: [
      `The link works once, for ${days} days.`,
      'If it was you, there is nothing else to do.',
    ],
  }),
  'zh-TW': (days) => ({
    subject: `您的 ${PRODUCT_NAME} 帳戶電子郵件地址已變更`,
    lead: [
      `您的 ${PRODUCT_NAME} 帳戶電子郵件地址剛剛從這個地址改為另一個已確認的地址，之後與帳戶相關的信件都會寄到新地址。`,
      '如果不是您本人，請保護您的帳戶：點選連結會登出所有裝置、將帳戶的地址改回這個地址，並讓您設定新密碼。',
    ],
    button: '這不是我',
    after: [`此連結只能使用一次，於 ${days} 天內有效。`, '如果是您本人，就不需要再做什麼。'],
  }),
};

interface To {
  to: string;
  locale: Locale;
  appUrl: string;
}

const link = (appUrl: string, path: string, token: string) =>
  `${appUrl}${path}?token=${encodeURIComponent(token)}`;

export function passwordResetMail(options: To & { token: string; validMinutes: number }) {
  return renderMail(
    options.to,
    options.locale,
    passwordResetText[options.locale](options.validMinutes),
    link(options.appUrl, '/reset-password', options.token),
  );
}

export function passwordChangedMail(options: To & { how: PasswordChange }): OutgoingMail {
  return renderMail(
    options.to,
    options.locale,
    passwordChangedText[options.locale](options.how),
    `${options.appUrl}/forgot-password`,
  );
}

export function emailChangeMail(options: To & { token: string; validHours: number }) {
  return renderMail(
    options.to,
    options.locale,
    emailChangeText[options.locale](options.validHours),
    link(options.appUrl, '/confirm-email-change', options.token),
  );
}

export function emailInUseMail(options: To): OutgoingMail {
  return renderMail(
    options.to,
    options.locale,
    emailInUseText[options.locale](),
    `${options.appUrl}/sign-in`,
  );
}

export function emailChangedMail(options: To & { token: string; validDays: number }) {
  return renderMail(
    options.to,
    options.locale,
    emailChangedText[options.locale](options.validDays),
    link(options.appUrl, '/report-email-change', options.token),
  );
}
