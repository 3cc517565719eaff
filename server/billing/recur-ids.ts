/**
 * Whether a value can be a Recur id (`cus_…`, `sub_…`, `evt_…`, or our own user id sent as an
 * external id): letters, digits, `_` and `-` only. Anything else — a trailing space, a NUL byte,
 * another script — is refused rather than stored, so one id has one spelling and the unique
 * index on `users.recur_customer_id` means what it says.
 */
export function isRecurId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,200}$/.test(value);
}
