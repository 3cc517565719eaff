export { emulatorAdmin } from './admin-client';
export type { StatusChange } from './billing';
export type { RecurErrorBody, RecurErrorResponse, RecurErrorType } from './errors';
export type { Fault, FaultMode } from './faults';
export * from './fixture';
export { type RunningEmulator, startEmulator } from './server';
export type * from './types';
export { signWebhookPayload } from './webhooks';
