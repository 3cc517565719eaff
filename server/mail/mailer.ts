import { createTransport } from 'nodemailer';
import { PRODUCT_NAME } from './product';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends one mail now; rejects with a MailDeliveryError, whose message is safe to log. */
  send(mail: OutgoingMail): Promise<void>;
  /**
   * Sends without making the caller wait (a slow or failing mail server never holds up or fails
   * the action that sends the mail). A failure is logged by purpose only: never the address, the
   * content or a link in it.
   */
  sendInBackground(mail: OutgoingMail, purpose: string): void;
  /** Resolves once every background send has finished (shutdown, tests). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

/** A failed send, described without the message, its links or the server's credentials. */
export class MailDeliveryError extends Error {
  override name = 'MailDeliveryError';
}

export interface SmtpTarget {
  /** An smtp:// or smtps:// URL (SMTP_URL), credentials included. */
  url: string;
  /** The local dev mail server speaks plain SMTP on loopback: no STARTTLS attempt. */
  plain?: boolean;
}

export function createMailer(options: {
  smtp: SmtpTarget;
  from: string;
  log: (line: string) => void;
}): Mailer {
  const transport = createTransport({
    url: options.smtp.url,
    ...(options.smtp.plain ? { ignoreTLS: true } : {}),
    // Nodemailer's defaults wait up to ten minutes on a silent server.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    logger: false,
  });
  const from = withDisplayName(options.from);
  const inFlight = new Set<Promise<void>>();

  async function send(mail: OutgoingMail): Promise<void> {
    try {
      await transport.sendMail({ from, ...mail });
    } catch (error) {
      throw new MailDeliveryError(describeSmtpFailure(error));
    }
  }

  return {
    send,
    sendInBackground(mail, purpose) {
      // From the next turn of the event loop: composing the message takes a few milliseconds of
      // CPU, which would otherwise be part of the answer that sends it (and tell it apart).
      const sending = new Promise<void>((resolve) => setImmediate(resolve))
        .then(() => send(mail))
        .catch((error: MailDeliveryError) => {
          options.log(`mail: could not send the ${purpose} mail: ${error.message}`);
        });
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async close() {
      await this.idle();
      transport.close();
    },
  };
}

/** `name <address>` as configured, or the product name in front of a bare address. */
function withDisplayName(from: string): string | { name: string; address: string } {
  return from.includes('<') ? from : { name: PRODUCT_NAME, address: from.trim() };
}

/**
 * The error code and SMTP reply code only. Nodemailer's messages can quote the server's reply or
 * the envelope, so they are not passed on.
 */
function describeSmtpFailure(error: unknown): string {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const parts = [
    typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'unknown error',
    typeof responseCode === 'number' ? `SMTP ${responseCode}` : null,
  ];
  return parts.filter(Boolean).join(', ');
}
