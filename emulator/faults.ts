import { z } from 'zod';
import { EmulatorError, invalidRequest } from './errors';
import { errorReply, HANG, type HandlerResult, html } from './http';

const faultSchema = z.object({
  mode: z.enum(['server_error', 'non_json', 'rate_limit', 'hang', 'slow']),
  count: z.number().int().positive().default(1),
  /** For `slow`: how long to wait before answering normally. */
  delayMs: z.number().int().min(0).max(120_000).default(1000),
  path: z.string().startsWith('/').optional(),
});

export type FaultMode = z.infer<typeof faultSchema>['mode'];

export interface Fault {
  mode: FaultMode;
  remaining: number;
  path: string | null;
  /** Only for `slow`. */
  delayMs?: number;
}

export const RATE_LIMIT_RETRY_AFTER_SECONDS = 1;

export class Faults {
  private faults: Fault[] = [];

  add(input: unknown): Fault {
    const parsed = faultSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw invalidRequest(
        'invalid_fault',
        `Invalid fault at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`,
      );
    }
    const fault: Fault = {
      mode: parsed.data.mode,
      remaining: parsed.data.count,
      path: parsed.data.path ?? null,
      ...(parsed.data.mode === 'slow' ? { delayMs: parsed.data.delayMs } : {}),
    };
    this.faults.push(fault);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  /** Consumes one use of the first fault matching this API path. */
  take(path: string): Fault | undefined {
    const fault = this.faults.find((f) => f.path === null || f.path === path);
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }
}

/** The answer a fault replaces the real one with; `slow` only delays the real one. */
export function faultReply(mode: Exclude<FaultMode, 'slow'>): HandlerResult {
  switch (mode) {
    case 'server_error':
      return errorReply(
        new EmulatorError(
          500,
          'api_error',
          'internal_error',
          'Injected fault: internal server error',
        ),
      );
    case 'rate_limit':
      return errorReply(
        new EmulatorError(
          429,
          'rate_limit_error',
          'rate_limited',
          'Injected fault: too many requests',
          {
            'Retry-After': String(RATE_LIMIT_RETRY_AFTER_SECONDS),
          },
        ),
      );
    case 'non_json':
      return html(
        502,
        '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
      );
    case 'hang':
      return HANG;
  }
}
