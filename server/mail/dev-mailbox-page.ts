// GET /dev/mailbox: the mail the app sent while no SMTP_URL is set, for the developer on this
// machine only (server/mail/start-mail.ts decides when it exists). Server-rendered, no script.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setDevMailboxSecurityHeaders } from '../http/security-headers';
import { escapeHtml } from './account-mails';
import type { CaughtMail, MailCatcher } from './mail-catcher';
import { PRODUCT_NAME } from './product';

export const DEV_MAILBOX_PATH = '/dev/mailbox';

export function createDevMailboxPage(catcher: MailCatcher) {
  return function serveDevMailbox(req: IncomingMessage, res: ServerResponse, pathname: string) {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(req, res, 405, page('Method not allowed', '<p>Only GET.</p>'));
      return;
    }
    if (pathname === DEV_MAILBOX_PATH || pathname === `${DEV_MAILBOX_PATH}/`) {
      send(req, res, 200, listPage(catcher.messages()));
      return;
    }
    const id = /^\/dev\/mailbox\/(\d{1,9})$/.exec(pathname)?.[1];
    const mail = id ? catcher.messages().find((m) => m.id === Number(id)) : undefined;
    if (!mail) {
      send(req, res, 404, page('Not found', `<p>No such message. ${backLink}</p>`));
      return;
    }
    send(req, res, 200, messagePage(mail));
  };
}

const backLink = `<a href="${DEV_MAILBOX_PATH}">← All mail</a>`;

function listPage(messages: CaughtMail[]): string {
  const rows = messages
    .toReversed()
    .map(
      (mail) => `<tr>
<td><time datetime="${mail.receivedAt.toISOString()}">${formatTime(mail.receivedAt)}</time></td>
<td>${escapeHtml(mail.to.join(', '))}</td>
<td><a href="${DEV_MAILBOX_PATH}/${mail.id}">${escapeHtml(mail.subject || '(no subject)')}</a></td>
</tr>`,
    )
    .join('\n');
  const body = messages.length
    ? `<table><thead><tr><th scope="col">Received</th><th scope="col">To</th><th scope="col">Subject</th></tr></thead>
<tbody>${rows}</tbody></table>`
    : '<p>No mail yet. Sign up, or ask for a verification email, and it shows up here.</p>';
  return page('Dev mailbox', body);
}

function messagePage(mail: CaughtMail): string {
  // Links in the mail open in the whole tab (the iframe is sandboxed: no script, no forms).
  const srcdoc = `<base target="_top">${mail.html ?? ''}`;
  const html = mail.html
    ? `<h2>HTML</h2>
<iframe title="HTML version of the message" sandbox="allow-top-navigation-by-user-activation allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(srcdoc)}"></iframe>`
    : '';
  const body = `<p>${backLink}</p>
<dl>
<dt>From</dt><dd>${escapeHtml(mail.from)}</dd>
<dt>To</dt><dd>${escapeHtml(mail.to.join(', '))}</dd>
<dt>Subject</dt><dd>${escapeHtml(mail.subject)}</dd>
<dt>Received</dt><dd><time datetime="${mail.receivedAt.toISOString()}">${formatTime(mail.receivedAt)}</time></dd>
</dl>
${html}
<h2>Plain text</h2>
<pre>${linkify(mail.text)}</pre>`;
  return page(mail.subject || 'Message', body);
}

/** Escapes the text and makes each http(s) URL in it a link. */
function linkify(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+/g)) {
    const url = match[0];
    out += escapeHtml(text.slice(last, match.index));
    out += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = match.index + url.length;
  }
  return out + escapeHtml(text.slice(last));
}

function formatTime(date: Date): string {
  return date.toISOString().replace('T', ' ').slice(0, 19);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)} · ${escapeHtml(PRODUCT_NAME)} dev mailbox</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; padding: 1.5rem; color: #1b1f29; background: #f5f7fb; line-height: 1.5; }
main { max-width: 960px; margin: 0 auto; }
.note { color: #5b6273; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid #d9dde7; vertical-align: top; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { color: #5b6273; } dd { margin: 0; }
iframe { width: 100%; height: 520px; border: 1px solid #d9dde7; background: #fff; resize: vertical; }
pre { white-space: pre-wrap; word-break: break-word; background: #fff; border: 1px solid #d9dde7; padding: 1rem; }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="note">Dev mailbox: mail the app sent, kept in memory on this machine because no SMTP_URL is set. It never leaves this computer.</p>
${body}
</main>
</body>
</html>`;
}

function send(req: IncomingMessage, res: ServerResponse, status: number, html: string): void {
  setDevMailboxSecurityHeaders(res);
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(html));
  res.end(req.method === 'HEAD' ? undefined : html);
}
