// The account mails (verification, a sign-up attempt on a registered address), in the user's
// language, as HTML and plain text. They carry no text a visitor typed (a display name could be
// used to plant a message in someone else's inbox), and every link is built from APP_URL.
import type { Locale } from '../../db/schema';
import type { OutgoingMail } from './mailer';
import { PRODUCT_NAME } from './product';

export interface MailText {
  subject: string;
  /** Paragraphs before the button. */
  lead: string[];
  button: string;
  /** Paragraphs after the button. */
  after: string[];
}

export const verificationText: Record<Locale, (hours: number) => MailText> = {
  en: (hours) => ({
    subject: `Confirm your email address for ${PRODUCT_NAME}`,
    lead: [`Confirm that this is your address to finish setting up your ${PRODUCT_NAME} account.`],
    button: 'Confirm my email address',
    after: [
      `The link works once and expires in ${hours} hours.`,
      'If you did not create an account, ignore this email: without the link, the address stays unconfirmed.',
    ],
  }),
  'zh-TW': (hours) => ({
    subject: `請確認您在 ${PRODUCT_NAME} 的電子郵件地址`,
    lead: [`請確認這是您的電子郵件地址，以完成 ${PRODUCT_NAME} 帳戶的設定。`],
    button: '確認我的電子郵件地址',
    after: [
      `此連結只能使用一次，將於 ${hours} 小時後失效。`,
      '如果您沒有建立帳戶，請忽略這封信；沒有點選連結，這個地址就不會被確認。',
    ],
  }),
};

export const signUpAttemptText: Record<Locale, () => MailText> = {
  en: () => ({
    subject: `Someone tried to create a ${PRODUCT_NAME} account with your address`,
    lead: [
      `Someone just tried to create a new ${PRODUCT_NAME} account with this email address. You already have an account, so no new one was created.`,
      'If it was you, sign in instead. If you forgot your password, contact support.',
    ],
    button: 'Sign in',
    after: ['If it was not you, you can ignore this email: your account has not changed.'],
  }),
  'zh-TW': () => ({
    subject: `有人嘗試以您的電子郵件地址建立 ${PRODUCT_NAME} 帳戶`,
    lead: [
      `剛才有人嘗試以這個電子郵件地址建立新的 ${PRODUCT_NAME} 帳戶。由於您已經有帳戶，系統沒有建立新帳戶。`,
      '如果是您本人，請直接登入；如果忘記密碼，請聯絡客服。',
    ],
    button: '登入',
    after: ['如果不是您本人，可以忽略這封信，您的帳戶沒有任何變更。'],
  }),
};

export function verificationMail(options: {
  to: string;
  locale: Locale;
  appUrl: string;
  token: string;
  validHours: number;
}): OutgoingMail {
  const link = `${options.appUrl}/verify-email?token=${encodeURIComponent(options.token)}`;
  return render(
    options.to,
    options.locale,
    verificationText[options.locale](options.validHours),
    link,
  );
}

export function signUpAttemptMail(options: {
  to: string;
  locale: Locale;
  appUrl: string;
}): OutgoingMail {
  return render(
    options.to,
    options.locale,
    signUpAttemptText[options.locale](),
    `${options.appUrl}/sign-in`,
  );
}

export function render(to: string, locale: Locale, text: MailText, link: string): OutgoingMail {
  const plain = [...text.lead, `${text.button}: ${link}`, ...text.after, `— ${PRODUCT_NAME}`].join(
    '\n\n',
  );
  const paragraphs = (items: string[]) =>
    items.map((item) => `<p style="margin:0 0 16px">${escapeHtml(item)}</p>`).join('\n');
  const html = `<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${escapeHtml(text.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f7fb;font-family:system-ui,-apple-system,'Segoe UI','Noto Sans TC',sans-serif;color:#1b1f29;line-height:1.5">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border:1px solid #d9dde7;border-radius:10px;padding:24px">
<p style="margin:0 0 16px;font-weight:700">${escapeHtml(PRODUCT_NAME)}</p>
${paragraphs(text.lead)}
<p style="margin:0 0 16px"><a href="${escapeHtml(link)}" style="display:inline-block;background:#2f5bea;color:#ffffff;text-decoration:none;font-weight:600;padding:10px 18px;border-radius:8px">${escapeHtml(text.button)}</a></p>
<p style="margin:0 0 16px;font-size:13px;color:#5b6273;word-break:break-all">${escapeHtml(link)}</p>
${paragraphs(text.after)}
</div>
</body>
</html>`;
  return { to, subject: text.subject, text: plain, html };
}

export function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
