import { z } from 'zod';
import { isRecurId } from '../billing/recur-ids';

const EARLIEST = Date.UTC(2000, 0, 1);

/**
 * An event time in Unix ms. Recur's docs and skills give an ISO-8601 string; a number is read as
 * Unix ms, or as Unix seconds when it is too small to be ms; a string of digits likewise.
 */
export function parseEventTime(value: unknown): number | null {
  const numeric =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+(\.\d+)?$/.test(value)
        ? Number(value)
        : null;
  const ms =
    numeric !== null
      ? numeric < 1e11
        ? numeric * 1000
        : numeric
      : typeof value === 'string'
        ? Date.parse(value)
        : Number.NaN;
  return Number.isFinite(ms) && ms >= EARLIEST && ms < Date.UTC(3000, 0, 1) ? Math.floor(ms) : null;
}

/** The envelope of every Recur webhook: `{ id: 'evt_…', type, timestamp, data }`. */
export const recurEventSchema = z.object({
  id: z.custom<string>(isRecurId, 'not an event id'),
  type: z.string().regex(/^[A-Za-z0-9_.]{1,100}$/),
  timestamp: z.union([z.string(), z.number()]).refine((value) => parseEventTime(value) !== null),
  data: z.record(z.string(), z.unknown()),
});
export type RecurEvent = z.infer<typeof recurEventSchema>;

/** When the event happened, in Unix ms (the schema has checked that it is a time). */
export function eventTime(event: Pick<RecurEvent, 'timestamp'>): number {
  return parseEventTime(event.timestamp) ?? Number.NaN;
}
