import { TEST_CARD_DECLINED, TEST_CARD_SUCCESS } from './fixture';
import type { PaymentMethod } from './types';

export type CardOutcome =
  | { kind: 'success'; paymentMethod: PaymentMethod }
  | { kind: 'declined' }
  | { kind: 'not_a_test_card' };

export function classifyCard(input: string | null | undefined): CardOutcome {
  const digits = (input ?? '').replace(/[\s-]/g, '');
  if (digits === TEST_CARD_SUCCESS) {
    return { kind: 'success', paymentMethod: { brand: 'Visa', last4: digits.slice(-4) } };
  }
  if (digits === TEST_CARD_DECLINED) return { kind: 'declined' };
  return { kind: 'not_a_test_card' };
}
