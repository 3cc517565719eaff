import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CUSTOMER_ID, DEMO_SUBSCRIPTION_ID, PRO_PRODUCT_SLUG } from '../fixture';
import { type RunningEmulator, startEmulator } from '../index';
import { api, cookieOf, hiddenToken, postForm, sdk } from './helpers';

const START = Date.parse('2025-01-15T00:00:00.000Z');
const TTL = 30 * 60 * 1000;
const RETURN_URL = 'https://app.example.com/account';
let clock = START;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, now: () => clock, portalSessionTtlMs: TTL });
});
afterAll(() => emulator.close());
beforeEach(() => {
  clock = START;
  emulator.reset();
});

async function newSession(locale?: 'zh-TW' | 'en') {
  return sdk(emulator).portal.sessions.create({
    customer: DEMO_CUSTOMER_ID,
    returnUrl: RETURN_URL,
    ...(locale ? { locale } : {}),
  });
}

async function openPortal(locale?: 'zh-TW' | 'en') {
  const session = await newSession(locale);
  const response = await fetch(session.url);
  const page = await response.text();
  return { session, response, page, token: hiddenToken(page), cookie: cookieOf(response) };
}

async function entitlementsBody() {
  const response = await api(
    emulator,
    `/v1/customers/entitlements?customer_id=${DEMO_CUSTOMER_ID}`,
  );
  return (await response.json()) as {
    entitlements: { status: string }[];
    subscription?: { status: string; current_period_end: string };
  };
}

async function demoSubscription() {
  const response = await api(emulator, `/v1/subscriptions?customer_id=${DEMO_CUSTOMER_ID}`);
  const body = (await response.json()) as {
    subscriptions: { id: string; status: string; canceled_at: string | null }[];
  };
  return body.subscriptions.find((s) => s.id === DEMO_SUBSCRIPTION_ID);
}

describe('portal page', () => {
  it('shows the customer, plan, TWD price, status, period end and a return link', async () => {
    const { response, page } = await openPortal();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page).toContain('Demo User');
    expect(page).toContain('demo@example.com');
    expect(page).toContain('<strong>Pro</strong>');
    expect(page).toContain('NT$990 / 月');
    expect(page).toContain('data-status="active"');
    expect(page).toContain('2025年2月15日');
    expect(page).toContain(`<a class="back" href="${RETURN_URL}">`);
    expect(page).toContain('管理訂閱');
  });

  it('renders English when the session locale is en', async () => {
    const { page } = await openPortal('en');
    expect(page).toContain('Manage your subscription');
    expect(page).toContain('NT$990 / month');
    expect(page).toContain('<html lang="en">');
  });

  it('issues an HttpOnly cookie scoped to the session path', async () => {
    const { session, response } = await openPortal();
    const header = response.headers.get('set-cookie') ?? '';
    expect(header).toContain(`Path=/s/${session.id}`);
    expect(header).toContain('HttpOnly');
  });

  it('is single use: the second GET answers 410', async () => {
    const { session } = await openPortal();
    const again = await fetch(session.url);
    expect(again.status).toBe(410);
    expect(await again.text()).toContain('此連結已失效');
    const state = emulator.state();
    expect(state.portalSessions.find((s) => s.id === session.id)?.accessedAt).toBe(clock);
  });

  it('expires after the configured TTL, even if never opened', async () => {
    const session = await newSession();
    clock += TTL;
    expect((await fetch(session.url)).status).toBe(410);
  });

  it('keeps actions working for the opening browser until expiry, then 410', async () => {
    const { session, token, cookie } = await openPortal();
    clock += TTL - 1;
    const ok = await postForm(`${session.url}/payment-method`, { token, card: '4147631000000001' });
    expect(ok.status).toBe(303);
    const manage = await fetch(`${session.url}/manage`, { headers: { Cookie: cookie } });
    expect(manage.status).toBe(200);
    clock += 1;
    const late = await postForm(`${session.url}/cancel`, {
      token,
      subscription: DEMO_SUBSCRIPTION_ID,
    });
    expect(late.status).toBe(410);
    const lateView = await fetch(`${session.url}/manage`, { headers: { Cookie: cookie } });
    expect(lateView.status).toBe(410);
  });

  it('refuses actions without the browser token (403) and with a wrong one', async () => {
    const { session } = await openPortal();
    const none = await postForm(`${session.url}/cancel`, { subscription: DEMO_SUBSCRIPTION_ID });
    expect(none.status).toBe(403);
    const wrong = await postForm(`${session.url}/cancel`, {
      token: 'forged',
      subscription: DEMO_SUBSCRIPTION_ID,
    });
    expect(wrong.status).toBe(403);
    expect((await fetch(`${session.url}/manage`)).status).toBe(403);
    expect((await entitlementsBody()).subscription?.status).toBe('active');
  });

  it('cancels at period end, then resumes, as seen through entitlements', async () => {
    const { session, token, cookie } = await openPortal();
    // The cookie alone (a form posted from another page on the same site) is not enough.
    const cookieOnly = await postForm(
      `${session.url}/cancel`,
      { subscription: DEMO_SUBSCRIPTION_ID },
      cookie,
    );
    expect(cookieOnly.status).toBe(403);
    const cancel = await postForm(
      `${session.url}/cancel`,
      { token, subscription: DEMO_SUBSCRIPTION_ID },
      cookie,
    );
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get('location')).toBe(`/s/${session.id}/manage?notice=cancelled`);
    const view = await fetch(`${session.url}/manage?notice=cancelled`, {
      headers: { Cookie: cookie },
    });
    const viewPage = await view.text();
    expect(viewPage).toContain('data-status="canceled"');
    expect(viewPage).toContain('已設定於週期結束時取消訂閱');
    expect(viewPage).toContain('恢復訂閱');

    const cancelled = await entitlementsBody();
    expect(cancelled.entitlements[0]?.status).toBe('canceled');
    expect(cancelled.subscription?.status).toBe('canceled');
    expect(await demoSubscription()).toMatchObject({
      status: 'CANCELED',
      canceled_at: new Date(START).toISOString(),
    });
    const check = await sdk(emulator).entitlements.check({
      product: PRO_PRODUCT_SLUG,
      customer: { id: DEMO_CUSTOMER_ID },
    });
    expect(check.allowed).toBe(true);
    expect(check.subscription?.status).toBe('canceled');

    const resume = await postForm(`${session.url}/resume`, {
      token,
      subscription: DEMO_SUBSCRIPTION_ID,
    });
    expect(resume.status).toBe(303);
    const resumed = await entitlementsBody();
    expect(resumed.subscription?.status).toBe('active');
    expect(await demoSubscription()).toMatchObject({ status: 'ACTIVE', canceled_at: null });
  });

  it('expires a cancelled subscription at period end: no entitlement any more', async () => {
    const { session, token } = await openPortal();
    await postForm(`${session.url}/cancel`, { token, subscription: DEMO_SUBSCRIPTION_ID });
    const periodEnd = Date.parse((await entitlementsBody()).subscription?.current_period_end ?? '');
    clock = periodEnd;
    const after = await entitlementsBody();
    expect(after.entitlements).toEqual([]);
    expect(after.subscription).toBeUndefined();
    expect(emulator.webhookDeliveries().map((d) => d.type)).toEqual([
      'subscription.cancelled',
      'subscription.expired',
    ]);
  });

  it('renews an active subscription when its period passes', async () => {
    clock = Date.parse('2025-02-15T00:00:00.000Z');
    const body = await entitlementsBody();
    expect(body.subscription?.status).toBe('active');
    expect(body.subscription?.current_period_end).toBe('2025-03-15T00:00:00.000Z');
  });

  it('updates the payment method with the test card and shows the last 4 digits', async () => {
    const { session, token, cookie } = await openPortal();
    const declined = await postForm(`${session.url}/payment-method`, {
      token,
      card: '4147 6310 0000 0002',
    });
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('此卡片遭拒絕');
    const other = await postForm(`${session.url}/payment-method`, {
      token,
      card: '4242424242424242',
    });
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('請使用測試卡號');
    const ok = await postForm(`${session.url}/payment-method`, {
      token,
      card: '4147 6310 0000 0001',
    });
    expect(ok.status).toBe(303);
    const page = await (
      await fetch(`${session.url}/manage`, { headers: { Cookie: cookie } })
    ).text();
    expect(page).toContain('Visa •••• 0001');
  });

  it('changes the plan; only active subscriptions offer it', async () => {
    const { session, token, cookie, page } = await openPortal('en');
    expect(page).toContain(`action="/s/${session.id}/change-plan"`);
    expect(page).toContain('<option value="prod_starter">Starter · NT$290 / month</option>');
    const change = await postForm(`${session.url}/change-plan`, {
      token,
      subscription: DEMO_SUBSCRIPTION_ID,
      product: 'prod_starter',
    });
    expect(change.status).toBe(303);
    expect(change.headers.get('location')).toBe(`/s/${session.id}/manage?notice=plan_changed`);
    const view = await (
      await fetch(`${session.url}/manage?notice=plan_changed`, { headers: { Cookie: cookie } })
    ).text();
    expect(view).toContain('Your plan has been changed.');
    expect(view).toContain('<strong>Starter</strong>');
    expect((await entitlementsBody()).entitlements).toMatchObject([{ product: 'starter-plan' }]);
    const same = await postForm(`${session.url}/change-plan`, {
      token,
      subscription: DEMO_SUBSCRIPTION_ID,
      product: 'prod_starter',
    });
    expect(same.status).toBe(409);
    const unknown = await postForm(`${session.url}/change-plan`, {
      token,
      subscription: DEMO_SUBSCRIPTION_ID,
      product: 'prod_nope',
    });
    expect(unknown.status).toBe(404);
    await postForm(`${session.url}/cancel`, { token, subscription: DEMO_SUBSCRIPTION_ID });
    const cancelled = await (
      await fetch(`${session.url}/manage`, { headers: { Cookie: cookie } })
    ).text();
    expect(cancelled).not.toContain('/change-plan"');
  });

  it('refuses to act on another customer’s subscription', async () => {
    emulator.reset({
      products: [{ id: 'prod_pro', slug: 'pro-plan', name: 'Pro', price: 990 }],
      customers: [
        { id: DEMO_CUSTOMER_ID, email: 'demo@example.com', name: 'Demo User' },
        { id: 'cus_other', email: 'other@example.com' },
      ],
      subscriptions: [{ id: 'sub_other', customerId: 'cus_other', product: 'pro-plan' }],
    });
    const { session, token } = await openPortal();
    const response = await postForm(`${session.url}/cancel`, { token, subscription: 'sub_other' });
    expect(response.status).toBe(404);
    expect(emulator.state().subscriptions[0]?.status).toBe('active');
  });

  it('escapes user-supplied text', async () => {
    emulator.reset({
      products: [{ id: 'prod_x', slug: 'x', name: '<i>Evil</i> plan', price: 1 }],
      customers: [{ id: 'cus_x', email: 'x@example.com', name: '<script>alert(1)</script>' }],
      subscriptions: [{ id: 'sub_x', customerId: 'cus_x', product: 'x' }],
    });
    const session = await sdk(emulator).portal.sessions.create({
      customer: 'cus_x',
      returnUrl: 'https://app.example.com/?a="><img src=x>',
    });
    const page = await (await fetch(session.url)).text();
    expect(page).not.toContain('<script>alert');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;i&gt;Evil&lt;/i&gt; plan');
    expect(page).not.toContain('"><img');
  });

  it('answers 404 for an unknown session', async () => {
    expect((await fetch(`${emulator.url}/s/ps_unknown`)).status).toBe(404);
  });
});
