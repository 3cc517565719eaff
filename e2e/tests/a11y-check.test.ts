// The keyboard and accessible-name check itself: it must catch what it is there to catch.
import { describe, expect, it } from 'vitest';
import { expectKeyboardAccessible } from '../support/a11y';
import { setupBrowser } from '../support/browser';

const browser = setupBrowser();

const page = (body: string) =>
  `<!doctype html><html lang="en"><head><link rel="icon" href="data:,"></head><body>${body}</body></html>`;

describe('expectKeyboardAccessible', () => {
  it('passes a page whose controls are all reachable and named', async () => {
    const { page: tab } = await browser.open({ locale: 'en-US' });
    await tab.setContent(
      page(`<a href="#x">Home</a>
        <label>Email <input name="email"></label>
        <select aria-label="Language"><option>English</option></select>
        <button disabled>Current plan</button>
        <button><span hidden>x</span>Save</button>`),
    );
    await expectKeyboardAccessible(tab, 'fine page');
  });

  it('catches a control Tab never reaches', async () => {
    const { page: tab } = await browser.open({ locale: 'en-US' });
    await tab.setContent(page('<a href="#a">One</a> <a href="#b" tabindex="-1">Two</a>'));
    await expect(expectKeyboardAccessible(tab, 'bad page')).rejects.toThrow(/Tab never reaches/);
  });

  it('catches a control without an accessible name', async () => {
    const { page: tab } = await browser.open({ locale: 'en-US' });
    await tab.setContent(page('<input name="q"> <button></button>'));
    await expect(expectKeyboardAccessible(tab, 'bad page')).rejects.toThrow(
      /without an accessible name/,
    );
  });
});
