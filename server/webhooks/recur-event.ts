import { z } from 'zod';

/** The envelope of every Recur webhook: `{ id: 'evt_…', type, timestamp (Unix ms), data }`. */
export const recurEventSchema = z.object({
  id: z.string().min(1).max(200),
  type: z.string().min(1).max(200),
  timestamp: z.number().int().positive(),
  data: z.record(z.string(), z.unknown()),
});
export type RecurEvent = z.infer<typeof recurEventSchema>;

const metadata = z.record(z.string(), z.string()).nullish();

export const checkoutCompletedData = z.object({
  customerId: z.string().min(1),
  customerEmail: z.string().nullish(),
  metadata,
});

export const customerCreatedData = z.object({
  id: z.string().min(1),
  email: z.string().nullish(),
  metadata,
});

export const subscriptionEventData = z.object({
  id: z.string().min(1),
  customerId: z.string().min(1),
  status: z.string().min(1).max(50),
});
