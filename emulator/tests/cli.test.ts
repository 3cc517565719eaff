import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

describe('cli', () => {
  it('prints its URL, key and admin token, serves, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI], {
      env: {
        ...process.env,
        RECUR_EMULATOR_PORT: '0',
        RECUR_EMULATOR_ADMIN_TOKEN: 'cli-admin',
        RECUR_EMULATOR_QUIET: '1',
      },
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
        if (match?.[1] && output.includes('admin token')) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`cli exited early (${code})`)));
    });
    expect(output).toContain('sk_test_emulator');
    expect(output).toContain('cli-admin');
    const state = await fetch(`${url}/_emulator/state`, {
      headers: { 'X-Emulator-Admin-Token': 'cli-admin' },
    });
    expect(state.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
