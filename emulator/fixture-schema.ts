import { z } from 'zod';
import { EmulatorError } from './errors';
import type { Fixture } from './types';

const statusSchema = z.enum(['active', 'trialing', 'past_due', 'canceled', 'expired']);

const fixtureSchema = z.object({
  products: z.array(
    z.object({
      id: z.string().min(1),
      slug: z.string().min(1),
      name: z.string().min(1),
      price: z.number().int().nonnegative(),
      interval: z.enum(['month', 'year']).optional(),
    }),
  ),
  customers: z
    .array(
      z.object({
        id: z.string().min(1),
        email: z.string().email(),
        name: z.string().nullable().optional(),
        externalId: z.string().nullable().optional(),
      }),
    )
    .default([]),
  subscriptions: z
    .array(
      z.object({
        id: z.string().min(1),
        customerId: z.string().min(1),
        product: z.string().min(1),
        status: statusSchema.optional(),
        currentPeriodEnd: z.union([z.string(), z.number()]).optional(),
        canceledAt: z.union([z.string(), z.number()]).nullable().optional(),
      }),
    )
    .default([]),
});

export const subscriptionStatusSchema = statusSchema;

export function parseFixture(input: unknown): Fixture {
  const result = fixtureSchema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new EmulatorError(
      400,
      'invalid_request_error',
      'invalid_fixture',
      `Invalid fixture at ${where}: ${issue?.message ?? 'unknown problem'}`,
    );
  }
  return result.data;
}
