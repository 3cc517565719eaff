// An SMTP server that keeps what it receives in memory: the dev mailbox when no SMTP_URL is set,
// and the tests' mail server. It is a real SMTP server on loopback, so the app sends through the
// same Nodemailer transport either way.
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  /** Increases with each message received, from 1. */
  id: number;
  /** The envelope recipients, lower-cased. */
  to: string[];
  from: string;
  subject: string;
  text: string;
  /** The HTML part, or null for a text-only message. */
  html: string | null;
  receivedAt: Date;
}

export interface MailCatcher {
  /** smtp://127.0.0.1:<port> */
  url: string;
  port: number;
  /** Newest last; the oldest are dropped beyond the limit. */
  messages(): CaughtMail[];
  /** Called with each message once it is stored. */
  onMail(listener: (mail: CaughtMail) => void): () => void;
  close(): Promise<void>;
}

export async function startMailCatcher(
  options: {
    port?: number;
    /** How many messages are kept (default 200). */
    limit?: number;
    /** While true, every message is refused with a temporary failure (451), as by a server in trouble. */
    refuse?: () => boolean;
  } = {},
): Promise<MailCatcher> {
  const limit = options.limit ?? 200;
  const stored: CaughtMail[] = [];
  const listeners = new Set<(mail: CaughtMail) => void>();
  let nextId = 1;

  const server = new SMTPServer({
    // Loopback only and no TLS; any credentials are accepted (SMTP_URL may carry some).
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    disableReverseLookup: true,
    size: 5 * 1024 * 1024,
    logger: false,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'anyone' }),
    onMailFrom: (_address, _session, callback) => {
      if (options.refuse?.()) {
        const error = new Error('Mailbox temporarily unavailable') as Error & {
          responseCode: number;
        };
        error.responseCode = 451;
        callback(error);
        return;
      }
      callback();
    },
    onData: (stream, session, callback) => {
      simpleParser(stream).then(
        (parsed) => {
          const mail: CaughtMail = {
            id: nextId++,
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address.toLowerCase()),
            from: parsed.from?.text ?? '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            receivedAt: new Date(),
          };
          stored.push(mail);
          if (stored.length > limit) stored.splice(0, stored.length - limit);
          for (const listener of listeners) listener(mail);
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  server.on('error', () => {
    // A broken client connection; the server keeps listening.
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages: () => [...stored],
    onMail(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
