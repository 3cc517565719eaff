import type { RunningEmulator } from '../../emulator';

/**
 * Starts the local Recur emulator inside the app's process, for `npm start` and `npm run dev`
 * when no RECUR_SECRET_KEY is configured. Loaded lazily: a deployment with a real key never
 * imports the emulator.
 */
export async function startLocalEmulator(options: { port: number }): Promise<RunningEmulator> {
  const { startEmulator } = await import('../../emulator');
  return startEmulator({ port: options.port });
}
