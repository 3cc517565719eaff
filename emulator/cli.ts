import { EMULATOR_SECRET_KEY } from './fixture';
import { startEmulator } from './server';
import type { EmulatorOptions } from './types';

const env = process.env;
const DEV_WEBHOOK_SECRET = 'whsec_emulator_dev';

function fail(message: string): never {
  process.stderr.write(`recur-emulator: ${message}\n`);
  process.exit(1);
}

const port = Number(env.RECUR_EMULATOR_PORT ?? 4010);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  fail(`RECUR_EMULATOR_PORT must be a port number, got "${env.RECUR_EMULATOR_PORT}"`);
}

const quiet = env.RECUR_EMULATOR_QUIET === '1';
const log = (line: string) => process.stdout.write(`[recur-emulator] ${line}\n`);
const webhookUrl = env.RECUR_EMULATOR_WEBHOOK_URL;
const secretKeys = env.RECUR_EMULATOR_SECRET_KEYS?.split(',')
  .map((k) => k.trim())
  .filter(Boolean);

const options: EmulatorOptions = {
  port,
  host: env.RECUR_EMULATOR_HOST || '127.0.0.1',
  publicUrl: env.RECUR_EMULATOR_PUBLIC_URL || undefined,
  adminToken: env.RECUR_EMULATOR_ADMIN_TOKEN || undefined,
  statePath: env.RECUR_EMULATOR_STATE_PATH || undefined,
  defaultReturnUrl: env.RECUR_EMULATOR_DEFAULT_RETURN_URL || undefined,
  secretKeys: secretKeys?.length ? secretKeys : [EMULATOR_SECRET_KEY],
  webhook: webhookUrl
    ? { url: webhookUrl, secret: env.RECUR_WEBHOOK_SECRET || DEV_WEBHOOK_SECRET }
    : undefined,
  logger: quiet ? undefined : log,
};

const emulator = await startEmulator(options).catch((error: unknown) =>
  fail(error instanceof Error ? error.message : String(error)),
);

process.stdout.write(
  [
    `Recur emulator ready at ${emulator.url}`,
    `  test secret key : ${emulator.secretKey}`,
    `  admin token     : ${emulator.adminToken}`,
    `  webhooks        : ${webhookUrl ? `POST ${webhookUrl}` : 'off (set RECUR_EMULATOR_WEBHOOK_URL)'}`,
    `  state           : ${options.statePath ?? 'in memory'}`,
    '',
  ].join('\n'),
);
if (webhookUrl && !env.RECUR_WEBHOOK_SECRET) {
  log(`RECUR_WEBHOOK_SECRET is not set; signing webhooks with ${DEV_WEBHOOK_SECRET}`);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: shutting down`);
  await emulator.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
