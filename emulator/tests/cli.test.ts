import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

/** Runs the CLI until it is ready; returns its URL, its output so far and a stop function. */
async function runCli(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    env: { ...process.env, RECUR_EMULATOR_PORT: '0', RECUR_EMULATOR_QUIET: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /ready at (http:\/\/\S+)/.exec(output);
      if (match?.[1] && output.includes('state ')) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`cli exited early (${code})`)));
  });
  const stop = async () => {
    child.kill('SIGTERM');
    return exited;
  };
  return { url, output: () => output, stop };
}

const printedKey = (output: string) => /test secret key : (\S+)/.exec(output)?.[1] ?? '';

const entitlements = (url: string, key: string) =>
  fetch(`${url}/v1/customers/entitlements?customer_id=cus_demo`, {
    headers: { Authorization: `Bearer ${key}` },
  });

describe('cli', { timeout: 20_000 }, () => {
  it('prints its URL, a random key and the admin token, serves, and exits 0 on SIGTERM', async () => {
    const cli = await runCli({ RECUR_EMULATOR_ADMIN_TOKEN: 'cli-admin' });
    const key = printedKey(cli.output());
    expect(key).toMatch(/^sk_test_[0-9a-f]{48}$/);
    expect(cli.output()).toContain('cli-admin');
    expect((await entitlements(cli.url, key)).status).toBe(200);
    expect((await entitlements(cli.url, 'sk_test_emulator')).status).toBe(401);
    const state = await fetch(`${cli.url}/_emulator/state`, {
      headers: { 'X-Emulator-Admin-Token': 'cli-admin' },
    });
    expect(state.status).toBe(200);
    expect(await cli.stop()).toBe(0);
  });

  it('makes up a different key each start', async () => {
    const a = await runCli({});
    const b = await runCli({});
    expect(printedKey(a.output())).not.toBe(printedKey(b.output()));
    await Promise.all([a.stop(), b.stop()]);
  });

  it('takes the key and options from flags, or from the environment', async () => {
    const flags = await runCli({}, [
      '--secret-key',
      'sk_test_from_flag',
      '--event-form=camel',
      '--signature-encoding',
      'hex',
    ]);
    expect(printedKey(flags.output())).toBe('sk_test_from_flag');
    expect(flags.output()).toContain('event data      : camel');
    expect((await entitlements(flags.url, 'sk_test_from_flag')).status).toBe(200);
    await flags.stop();
    const fromEnv = await runCli({
      RECUR_EMULATOR_SECRET_KEYS: 'sk_test_env_a, sk_test_env_b',
      RECUR_EMULATOR_EVENT_FORM: 'snake',
    });
    expect(printedKey(fromEnv.output())).toBe('sk_test_env_a');
    expect((await entitlements(fromEnv.url, 'sk_test_env_b')).status).toBe(200);
    await fromEnv.stop();
  });

  it('refuses a bad event form', async () => {
    await expect(runCli({}, ['--event-form', 'kebab'])).rejects.toThrow(/exited early \(1\)/);
  });
});
