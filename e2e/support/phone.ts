import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** A phone's window (an iPhone's 375 px wide). */
export const PHONE = { width: 375, height: 812 } as const;

/** Controls that stand alone (not links inside a sentence): each needs a 44 px tall target. */
const STANDALONE_CONTROLS =
  'button:not(.link-button), .verify-banner .link-button, select, input:not([type="hidden"]), a.button, .brand, .site-nav a, .section-nav a';

/** How much wider than its window the page is (0 when nothing scrolls sideways). */
export async function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}

/**
 * On a phone: the page is no wider than the window (document.documentElement.scrollWidth), and
 * every visible stand-alone control is at least 44 px tall.
 */
export async function expectFitsPhone(page: Page, pageName: string): Promise<void> {
  const { scrollWidth, width } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(width, `${pageName}: window width`).toBe(PHONE.width);
  expect(scrollWidth, `${pageName}: page width at ${PHONE.width} px`).toBeLessThanOrEqual(
    PHONE.width,
  );
  const small = await page.evaluate((selector) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const box = el.getBoundingClientRect();
      if (!el.checkVisibility() || box.width === 0) continue;
      if (box.height < 44) {
        found.push(`${Math.round(box.height)} px: ${el.outerHTML.slice(0, 120)}`);
      }
    }
    return found;
  }, STANDALONE_CONTROLS);
  expect(small, `${pageName}: touch targets under 44 px tall`).toEqual([]);
}
