import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, inject } from 'vitest';
import { CHROMIUM_ARGS } from './chromium';

export const e2e = inject('e2e');

/** A response of 400 or more that a test expects, e.g. the 503 of a Recur outage. */
export interface ExpectedFailure {
  status: number;
  url: RegExp;
  /** Why it is expected; shown when it never happened. */
  because: string;
}

export interface SessionOptions {
  /** The browser's language (navigator.languages), e.g. 'zh-TW' or 'en-US'. */
  locale: string;
  /** Responses ≥ 400 this test expects. Each must happen at least once; no other may. */
  expectedFailures?: ExpectedFailure[];
  /** The User-Agent header to send instead of Chromium's own (another device, as the app sees it). */
  userAgent?: string;
  /** The browser's time zone, e.g. 'Asia/Taipei' (default: the test machine's). */
  timezoneId?: string;
  /** The window's size; 1200×900 unless given (e.g. a phone's 375 px). */
  viewport?: { width: number; height: number };
}

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  /** Everything that went wrong in the page so far (console errors, page errors, requests). */
  problems: string[];
}

interface OpenSession extends BrowserSession {
  expected: ExpectedFailure[];
  seen: Set<number>;
  aborted: { line: string; leftPage: () => boolean }[];
}

const FAILED_TO_LOAD = /the server responded with a status of (\d{3})/;

/**
 * Registers the hooks of a browser test file and returns `open()`, which gives a fresh browser
 * context (1200×900 or the given size, the given language, the test machine's time zone) whose
 * pages are watched:
 * after each test, any console.error, uncaught page error, failed request or HTTP ≥ 400 that the
 * test did not declare fails it. A failing test leaves a screenshot in e2e/artifacts/.
 * `backForwardCache: true` keeps Chromium's back/forward cache on, as in a real browser.
 */
let clientCount = 0;
/**
 * A documentation-range address per browser (IPv6 2001:db8::/32): a header value, never a
 * destination. Each test file draws a block of its own, so no two files' browsers share an
 * address (per-IP limits such as sign-up's count per hour, across files).
 */
const fileBlock = randomBytes(2).toString('hex');
function nextClientIp(): string {
  clientCount += 1;
  // Each browser a /64 of its own, should a limit ever count IPv6 clients by /64.
  return `2001:db8:${fileBlock}:${clientCount.toString(16)}::1`;
}

export function setupBrowser(options: { backForwardCache?: boolean } = {}) {
  let browser: Browser;
  let sessions: OpenSession[] = [];

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: e2e.chromiumPath,
      args: CHROMIUM_ARGS,
      // Playwright turns the back/forward cache off; real browsers have it on.
      ...(options.backForwardCache ? { ignoreDefaultArgs: ['--disable-back-forward-cache'] } : {}),
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  afterEach(async (context) => {
    const current = sessions;
    sessions = [];
    const failed = context.task.result?.state === 'fail';
    const report: string[] = [];
    for (const [index, session] of current.entries()) {
      if (failed) {
        const dir = join(e2e.outputDir, 'failures');
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `${slug(context.task.name)}-${index}.png`);
        await session.page.screenshot({ path: file }).catch(() => undefined);
        report.push(`(screenshot of ${session.page.url()} in ${file})`);
      }
      report.push(...session.problems);
      report.push(...session.aborted.filter((a) => !a.leftPage()).map((a) => a.line));
      session.expected.forEach((item, i) => {
        if (!session.seen.has(i)) {
          report.push(`expected HTTP ${item.status} for ${item.url} (${item.because}) never came`);
        }
      });
      await session.context.close();
    }
    const problems = report.filter((line) => !line.startsWith('(screenshot'));
    if (failed && report.length) console.error(report.join('\n'));
    expect(problems, 'problems seen in the browser').toEqual([]);
  });

  async function open(options: SessionOptions): Promise<BrowserSession> {
    const context = await browser.newContext({
      baseURL: e2e.appUrl,
      // Each browser is a person of its own: per-IP rate limits count it alone (the app trusts
      // X-Forwarded-For in the e2e run, as behind a proxy).
      extraHTTPHeaders: { 'X-Forwarded-For': nextClientIp() },
      locale: options.locale,
      ...(options.userAgent ? { userAgent: options.userAgent } : {}),
      timezoneId: options.timezoneId ?? e2e.timezone,
      viewport: options.viewport ?? { width: 1200, height: 900 },
      deviceScaleFactor: 1,
    });
    const session: OpenSession = {
      context,
      page: undefined as unknown as Page,
      problems: [],
      expected: options.expectedFailures ?? [],
      seen: new Set(),
      aborted: [],
    };
    const expectedIndex = (status: number, url: string) =>
      session.expected.findIndex((item) => item.status === status && item.url.test(url));

    context.on('page', (page) => {
      page.on('console', (message) => {
        if (message.type() !== 'error') return;
        const source = message.location().url;
        // Chromium's own "Failed to load resource: … status of 503" line for an expected answer.
        const status = FAILED_TO_LOAD.exec(message.text())?.[1];
        if (status && expectedIndex(Number(status), source) >= 0) return;
        session.problems.push(`console.error on ${page.url()}: ${message.text()} [${source}]`);
      });
      page.on('pageerror', (error) => {
        session.problems.push(`uncaught error on ${page.url()}: ${error.stack ?? error.message}`);
      });
      // A request the browser cancels because the page navigates away (the favicon of a page
      // left at once, a fetch of the old page) is not a failure: an ERR_ABORTED counts only when
      // the page did not navigate afterwards. Any other failed request is a failure.
      let navigations = 0;
      page.on('request', (request) => {
        if (request.isNavigationRequest() && request.frame() === page.mainFrame()) navigations++;
      });
      page.on('requestfailed', (request) => {
        const line = `request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`;
        if (request.failure()?.errorText === 'net::ERR_ABORTED') {
          const at = navigations;
          session.aborted.push({ line, leftPage: () => navigations > at });
        } else {
          session.problems.push(line);
        }
      });
      page.on('response', (response) => {
        if (response.status() < 400) return;
        const index = expectedIndex(response.status(), response.url());
        if (index >= 0) session.seen.add(index);
        else {
          session.problems.push(
            `HTTP ${response.status()} for ${response.request().method()} ${response.url()}`,
          );
        }
      });
    });
    session.page = await context.newPage();
    sessions.push(session);
    return session;
  }

  return { open };
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}
