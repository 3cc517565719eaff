/** The sandbox cards PAYUNi documents: the first is accepted, the second declined. */
export const TEST_CARDS = { success: '4147 6310 0000 0001', declined: '4147 6310 0000 0002' };

/** Pays a hosted checkout of the local emulator as its card form would, without a browser. */
export async function payEmulatorCheckout(url: string, card: string): Promise<Response> {
  const page = await fetch(url);
  const html = await page.text();
  const form = new URLSearchParams({ card, email: '' });
  // The page's form carries a token of its own; send every hidden field back as a browser does.
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*>/g)) {
    const name = /name="([^"]+)"/.exec(match[0])?.[1];
    const value = /value="([^"]*)"/.exec(match[0])?.[1];
    if (name && value !== undefined) form.set(name, value);
  }
  return fetch(url, { method: 'POST', body: form, redirect: 'manual' });
}
