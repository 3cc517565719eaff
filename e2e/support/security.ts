// The mails of password and address changes as the browser tests read them in the dev mailbox.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { escapeHtml } from '../../server/mail/account-mails';
import {
  emailChangedText,
  emailChangeText,
  passwordChangedText,
  passwordResetText,
} from '../../server/mail/security-mails';
import { followLinkInMail, type Locale } from './app';
import { e2e } from './browser';

/** Subjects and link texts of the security mails (server/mail/security-mails.ts). */
export const securityMail = (locale: Locale) => ({
  reset: passwordResetText[locale](60),
  changed: passwordChangedText[locale]('changed'),
  resetDone: passwordChangedText[locale]('reset'),
  confirmAddress: emailChangeText[locale](24),
  addressChanged: emailChangedText[locale](7),
});

/** The dev mailbox's messages to `email` with this subject, newest first, once `count` arrived. */
export async function mailsWithSubject(email: string, subject: string, count = 1) {
  let hrefs: string[] = [];
  await expect
    .poll(
      async () => {
        const html = await (await fetch(`${e2e.appUrl}/dev/mailbox`)).text();
        hrefs = [
          ...html.matchAll(
            /<tr>\s*<td>.*?<\/td>\s*<td>([^<]*)<\/td>\s*<td><a href="([^"]+)">([^<]*)<\/a>/gs,
          ),
        ]
          .filter((match) => match[1] === email.toLowerCase() && match[3] === escapeHtml(subject))
          .map((match) => match[2] ?? '');
        return hrefs.length;
      },
      { message: `mail "${subject}" to ${email} in the dev mailbox` },
    )
    .toBeGreaterThanOrEqual(count);
  return hrefs;
}

/** Opens the newest mail to `email` with `subject` and clicks its link named `button`. */
export async function followMailLink(
  page: Page,
  email: string,
  mail: { subject: string; button: string },
  options: { count?: number; which?: 'newest' | 'oldest' } = {},
): Promise<void> {
  const hrefs = await mailsWithSubject(email, mail.subject, options.count);
  const message = (options.which === 'oldest' ? hrefs.at(-1) : hrefs[0]) ?? '';
  await followLinkInMail(page, message, mail.button);
}

/** How many mails to `email` the dev mailbox holds. */
export async function mailCount(email: string): Promise<number> {
  const html = await (await fetch(`${e2e.appUrl}/dev/mailbox`)).text();
  return [...html.matchAll(/<tr>\s*<td>.*?<\/td>\s*<td>([^<]*)<\/td>/gs)].filter(
    (match) => match[1] === email.toLowerCase(),
  ).length;
}
