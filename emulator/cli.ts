import { parseArgs } from 'node:util';
import { startEmulator } from './server';
import type { EmulatorOptions, EventForm, SignatureEncoding } from './types';

const env = process.env;
const DEV_WEBHOOK_SECRET = 'whsec_emulator_dev';

function fail(message: string): never {
  process.stderr.write(`recur-emulator: ${message}\n`);
  process.exit(1);
}

const USAGE = `Usage: recur-emulator [options]   (each option also has an environment variable)
  --port <n>                    RECUR_EMULATOR_PORT (4010; 0 = any free port)
  --secret-key <sk_test_…>      RECUR_EMULATOR_SECRET_KEYS (comma-separated; default: random)
  --admin-token <token>         RECUR_EMULATOR_ADMIN_TOKEN (default: random)
  --event-form <snake|camel>    RECUR_EMULATOR_EVENT_FORM (snake)
  --signature-encoding <base64|hex>  RECUR_EMULATOR_SIGNATURE_ENCODING (base64)
`;

function parseFlags() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        'secret-key': { type: 'string', multiple: true },
        'admin-token': { type: 'string' },
        'event-form': { type: 'string' },
        'signature-encoding': { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    fail(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
  }
}

const flags = parseFlags();
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const portText = flags.port ?? env.RECUR_EMULATOR_PORT ?? '4010';
const port = Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  fail(`the port must be a port number, got "${portText}"`);
}

function oneOf<T extends string>(name: string, value: string | undefined, allowed: T[]) {
  if (value === undefined || value === '') return undefined;
  if (!allowed.includes(value as T))
    fail(`${name} must be ${allowed.join(' or ')}, got "${value}"`);
  return value as T;
}
const eventForm = oneOf<EventForm>(
  'the event form',
  flags['event-form'] ?? env.RECUR_EMULATOR_EVENT_FORM,
  ['snake', 'camel'],
);
const signatureEncoding = oneOf<SignatureEncoding>(
  'the signature encoding',
  flags['signature-encoding'] ?? env.RECUR_EMULATOR_SIGNATURE_ENCODING,
  ['base64', 'hex'],
);

const quiet = env.RECUR_EMULATOR_QUIET === '1';
const log = (line: string) => process.stdout.write(`[recur-emulator] ${line}\n`);
const webhookUrl = env.RECUR_EMULATOR_WEBHOOK_URL;
const secretKeys = (flags['secret-key'] ?? env.RECUR_EMULATOR_SECRET_KEYS?.split(',') ?? [])
  .map((k) => k.trim())
  .filter(Boolean);

const options: EmulatorOptions = {
  port,
  host: env.RECUR_EMULATOR_HOST || '127.0.0.1',
  publicUrl: env.RECUR_EMULATOR_PUBLIC_URL || undefined,
  adminToken: flags['admin-token'] || env.RECUR_EMULATOR_ADMIN_TOKEN || undefined,
  statePath: env.RECUR_EMULATOR_STATE_PATH || undefined,
  defaultReturnUrl: env.RECUR_EMULATOR_DEFAULT_RETURN_URL || undefined,
  // Without one, every start makes up a new random key (printed below).
  secretKeys: secretKeys.length ? secretKeys : undefined,
  eventForm,
  webhook: webhookUrl
    ? {
        url: webhookUrl,
        secret: env.RECUR_WEBHOOK_SECRET || DEV_WEBHOOK_SECRET,
        signatureEncoding,
      }
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
    `  webhooks        : ${webhookUrl ? `POST ${webhookUrl} (${signatureEncoding ?? 'base64'} signature)` : 'off (set RECUR_EMULATOR_WEBHOOK_URL)'}`,
    `  event data      : ${eventForm ?? 'snake'}`,
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
