// The mail that confirms an account was deleted, in the language the account had. It has no link:
// there is nothing left to sign in to.
import type { Locale } from '../../db/schema';
import { escapeHtml } from './account-mails';
import type { OutgoingMail } from './mailer';
import { PRODUCT_NAME } from './product';

export const deletionText: Record<Locale, { subject: string; paragraphs: string[] }> = {
  en: {
    subject: `Your ${PRODUCT_NAME} account has been deleted`,
    paragraphs: [
      `Your ${PRODUCT_NAME} account and everything stored with it (your profile, sessions and account activity) have been deleted. You have been signed out everywhere.`,
      'Records of past payments are kept by Recur, our payment provider.',
      'If you did not delete your account, contact support right away.',
    ],
  },
  'zh-TW': {
    subject: `您的 ${PRODUCT_NAME} 帳戶已刪除`,
    paragraphs: [
      `您的 ${PRODUCT_NAME} 帳戶及其所有資料（個人資料、登入工作階段與帳戶活動紀錄）皆已刪除，所有裝置也都已登出。`,
      '過去的付款紀錄由我們的金流服務商 Recur 保存。',
      '如果刪除帳戶的不是您本人，請立即聯絡客服。',
    ],
  },
};

export function deletionMail(options: { to: string; locale: Locale }): OutgoingMail {
  const { subject, paragraphs } = deletionText[options.locale];
  const text = [...paragraphs, `— ${PRODUCT_NAME}`].join('\n\n');
  const html = `<!doctype html>
<html lang="${options.locale}">
<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f7fb;font-family:system-ui,-apple-system,'Segoe UI','Noto Sans TC',sans-serif;color:#1b1f29;line-height:1.5">
<div style="max-width:520px;margin:0 auto;background:#ffffff;border:1px solid #d9dde7;border-radius:10px;padding:24px">
<p style="margin:0 0 16px;font-weight:700">${escapeHtml(PRODUCT_NAME)}</p>
${paragraphs.map((item) => `<p style="margin:0 0 16px">${escapeHtml(item)}</p>`).join('\n')}
</div>
</body>
</html>`;
  return { to: options.to, subject, text, html };
}
