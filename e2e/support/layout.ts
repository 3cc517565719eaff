import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** At `width` px the page is no wider than the viewport: nothing scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const before = page.viewportSize();
  await page.setViewportSize({ width, height: 900 });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `page width at ${width} px`).toBeLessThanOrEqual(width);
  if (before) await page.setViewportSize(before);
}
