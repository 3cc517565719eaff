import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from '../config';
import { isLocalAppUrl } from '../local-url';
import { createDevMailboxPage, DEV_MAILBOX_PATH } from './dev-mailbox-page';
import { type MailCatcher, startMailCatcher } from './mail-catcher';
import { createMailer, type Mailer } from './mailer';

export interface AppMail {
  mailer: Mailer;
  /** The /dev/mailbox page: only without SMTP_URL, and only when APP_URL is this machine. */
  devMailbox: ((req: IncomingMessage, res: ServerResponse, pathname: string) => void) | undefined;
  /** The in-process SMTP server, without SMTP_URL. */
  catcher: MailCatcher | undefined;
  close(): Promise<void>;
}

/** Mail as configured: SMTP_URL, or an in-process SMTP server and the dev mailbox page. */
export async function startMail(config: Config, log: (line: string) => void): Promise<AppMail> {
  if (config.mail.mode === 'smtp') {
    const mailer = createMailer({
      smtp: { url: config.mail.smtpUrl },
      from: config.mail.from,
      log,
    });
    log(`Mail: sending through ${describeSmtpServer(config.mail.smtpUrl)} (SMTP_URL)`);
    return { mailer, devMailbox: undefined, catcher: undefined, close: () => mailer.close() };
  }

  const catcher = await startMailCatcher({ port: config.mail.port });
  const mailer = createMailer({
    smtp: { url: catcher.url, plain: true },
    from: config.mail.from,
    log,
  });
  const local = isLocalAppUrl(config.appUrl);
  log(
    local
      ? `Mail: no SMTP_URL set, so mail stays on this machine: read it at ${config.appUrl}${DEV_MAILBOX_PATH}`
      : 'Mail: no SMTP_URL set and APP_URL is not this machine, so mail is kept in memory where nobody can read it. Set SMTP_URL and MAIL_FROM.',
  );
  return {
    mailer,
    devMailbox: local ? createDevMailboxPage(catcher) : undefined,
    catcher,
    close: async () => {
      await mailer.close();
      await catcher.close();
    },
  };
}

/** `smtps://smtp.example.com:465`: scheme, host and port, never the credentials. */
function describeSmtpServer(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.host}`;
}
