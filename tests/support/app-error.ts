import { TRPCError } from '@trpc/server';
import { expect } from 'vitest';
import type { AppError } from '../../server/trpc/errors';

/** The error a procedure call failed with; fails the test if the call succeeded. */
export async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as AppError;
}
