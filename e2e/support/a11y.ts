import type { Page } from 'playwright-core';
import { expect } from 'vitest';

const MARK = 'data-e2e-control';
const INTERACTIVE =
  'a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"]), [contenteditable="true"], [role="button"], [role="link"]';

interface Control {
  id: string;
  html: string;
  disabled: boolean;
}

/**
 * Every visible control on the page can be reached with Tab and has an accessible name.
 *
 * Walks the page with the Tab key from the top, recording each focused control, and asks
 * Chromium's accessibility tree (not a re-implementation) for each control's computed name.
 * Disabled controls cannot take focus by design: they are checked for a name only.
 */
export async function expectKeyboardAccessible(page: Page, pageName: string): Promise<void> {
  const controls = await page.evaluate(
    ({ mark, selector }) => {
      for (const el of document.querySelectorAll(`[${mark}]`)) el.removeAttribute(mark);
      const found: { id: string; html: string; disabled: boolean }[] = [];
      for (const el of document.querySelectorAll<HTMLElement>(selector)) {
        const visible =
          el.checkVisibility({ visibilityProperty: true, opacityProperty: true }) &&
          el.getBoundingClientRect().width > 0 &&
          el.getBoundingClientRect().height > 0;
        if (!visible) continue;
        const id = String(found.length + 1);
        el.setAttribute(mark, id);
        found.push({
          id,
          html: el.outerHTML.replace(/\s+/g, ' ').slice(0, 160),
          disabled: el.matches(':disabled'),
        });
      }
      return found;
    },
    { mark: MARK, selector: INTERACTIVE },
  );
  expect(controls.length, `${pageName}: no controls found`).toBeGreaterThan(0);

  const reached = await tabThrough(page, controls);
  const unreachable = controls
    .filter((control) => !control.disabled && !reached.has(control.id))
    .map((control) => control.html);
  expect(unreachable, `${pageName}: controls Tab never reaches`).toEqual([]);

  const names = await accessibleNames(page, controls);
  const unnamed = controls.filter((c) => !names.get(c.id)?.trim()).map((c) => c.html);
  expect(unnamed, `${pageName}: controls without an accessible name`).toEqual([]);
}

async function tabThrough(page: Page, controls: Control[]): Promise<Set<string>> {
  // Start the sequential focus navigation at the top of the document.
  await page.evaluate(() => {
    const start = document.createElement('div');
    start.tabIndex = -1;
    start.id = 'e2e-focus-start';
    document.body.prepend(start);
    start.focus();
  });
  const reached = new Set<string>();
  const enabled = controls.filter((c) => !c.disabled).length;
  // Enough presses to go around once even with unmarked focusable elements in between.
  for (let press = 0; press < controls.length * 2 + 5 && reached.size < enabled; press++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(
      (mark) => document.activeElement?.getAttribute(mark) ?? null,
      MARK,
    );
    if (id) reached.add(id);
  }
  await page.evaluate(() => document.getElementById('e2e-focus-start')?.remove());
  return reached;
}

async function accessibleNames(page: Page, controls: Control[]): Promise<Map<string, string>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const names = new Map<string, string>();
    for (const control of controls) {
      const { nodeId } = await cdp.send('DOM.querySelector', {
        nodeId: root.nodeId,
        selector: `[${MARK}="${control.id}"]`,
      });
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', {
        nodeId,
        fetchRelatives: false,
      });
      const node = nodes.find((n) => !n.ignored) ?? nodes[0];
      names.set(control.id, String(node?.name?.value ?? ''));
    }
    return names;
  } finally {
    await cdp.detach();
  }
}
