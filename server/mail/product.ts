// CUSTOMIZE: the product name every mail is signed with (keep it in step with `appName` in
// client/i18n/messages.ts, which the browser shows).
export const PRODUCT_NAME = 'Acme SaaS';
