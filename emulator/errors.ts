export type RecurErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'rate_limit_error'
  | 'api_error';

export interface RecurErrorBody {
  type: RecurErrorType;
  code: string;
  message: string;
}

export interface RecurErrorResponse {
  error: RecurErrorBody;
}

export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly type: RecurErrorType,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'EmulatorError';
  }

  toBody(): RecurErrorResponse {
    return { error: { type: this.type, code: this.code, message: this.message } };
  }
}

export const invalidRequest = (code: string, message: string) =>
  new EmulatorError(400, 'invalid_request_error', code, message);

export const notFound = (code: string, message: string) =>
  new EmulatorError(404, 'invalid_request_error', code, message);

/** The general API's documented 404 code (a product, a pagination cursor, …). */
export const resourceNotFound = (message: string) => notFound('resource_not_found', message);

/** The portal guide's code for an unknown customer; used on every customer look-up. */
export const customerNotFound = (message: string) => notFound('customer_not_found', message);
