// A real SMTP server on an ephemeral port for one test file: the app sends to it through its own
// Nodemailer transport (SMTP_URL, or `mailer()` for createTestDeps), and tests wait for the mail.
import { type CaughtMail, startMailCatcher } from '../../server/mail/mail-catcher';
import { createMailer, type Mailer } from '../../server/mail/mailer';

export interface TestMailbox {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  /** Every message received so far, oldest first. */
  readonly messages: CaughtMail[];
  /**
   * The oldest message to `to` (and with a subject matching `subject`) that no earlier waitFor
   * returned; waits up to 10 s for it to arrive.
   */
  waitFor(to: string, subject?: string | RegExp): Promise<CaughtMail>;
  /** While on, the server refuses every message with 451, as a mail server in trouble does. */
  refuse(on: boolean): void;
  /** A mailer of the app's own kind, sending here (for createTestDeps). */
  mailer(log?: (line: string) => void): Mailer;
  close(): Promise<void>;
}

export async function startTestMailbox(): Promise<TestMailbox> {
  let refusing = false;
  const catcher = await startMailCatcher({ port: 0, refuse: () => refusing });
  const taken = new Set<number>();
  const mailers: Mailer[] = [];

  const find = (to: string, subject?: string | RegExp) =>
    catcher
      .messages()
      .find(
        (mail) =>
          !taken.has(mail.id) &&
          mail.to.includes(to.toLowerCase()) &&
          (subject === undefined ||
            (typeof subject === 'string'
              ? mail.subject.includes(subject)
              : subject.test(mail.subject))),
      );

  return {
    url: catcher.url,
    get messages() {
      return catcher.messages();
    },
    async waitFor(to, subject) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const mail = find(to, subject);
        if (mail) {
          taken.add(mail.id);
          return mail;
        }
        if (Date.now() > deadline) {
          const seen = catcher.messages().map((m) => `${m.to.join(',')}: ${m.subject}`);
          throw new Error(
            `no mail to ${to} (${subject ?? 'any subject'}); received: ${seen.join(' | ') || 'none'}`,
          );
        }
        await new Promise<void>((resolve) => {
          const stop = catcher.onMail(() => {
            stop();
            clearTimeout(timer);
            resolve();
          });
          const timer = setTimeout(() => {
            stop();
            resolve();
          }, 100);
        });
      }
    },
    refuse(on) {
      refusing = on;
    },
    mailer(log = () => {}) {
      const mailer = createMailer({
        smtp: { url: catcher.url, plain: true },
        from: 'app@example.com',
        log,
      });
      mailers.push(mailer);
      return mailer;
    },
    async close() {
      await Promise.all(mailers.map((mailer) => mailer.close()));
      await catcher.close();
    },
  };
}

/** The verification link in a mail's plain text, and its token. */
export function verificationLinkIn(mail: CaughtMail): { link: string; token: string } {
  const match = /(https?:\/\/\S+\/verify-email\?token=([A-Za-z0-9_-]+))/.exec(mail.text);
  if (!match?.[1] || !match[2]) throw new Error(`no verification link in "${mail.subject}"`);
  return { link: match[1], token: match[2] };
}
