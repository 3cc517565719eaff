// Cold start: from spawning `node dist/server/main.js` to its first 200 on /healthz.
import { makeTempDir, removeTempDir } from './processes';
import { type DatabaseTarget, type Emulator, startOurServer } from './stack';
import { median, round } from './stats';

export interface ColdStart {
  label: string;
  medianMs: number;
  samplesMs: number[];
}

async function timeOneStart(
  logDir: string,
  emulator: Emulator,
  target: DatabaseTarget,
): Promise<number> {
  const server = await startOurServer(logDir, emulator, target, 'cold-start');
  await server.child.stop();
  return round(server.readyAfterMs, 0);
}

/** `times` starts on `targetFor(i)`; `cleanup(i)` runs after each one. */
async function measure(
  label: string,
  times: number,
  logDir: string,
  emulator: Emulator,
  targetFor: (i: number) => DatabaseTarget,
  cleanup: (i: number) => void = () => {},
): Promise<ColdStart> {
  const samplesMs: number[] = [];
  for (let i = 0; i < times; i++) {
    samplesMs.push(await timeOneStart(logDir, emulator, targetFor(i)));
    cleanup(i);
  }
  return { label, medianMs: median(samplesMs), samplesMs };
}

/**
 * New PGlite data dirs (each a copy of the build's migrated template; initdb and migrations
 * where there is none), then one already initialised.
 */
export async function coldStartsPglite(
  logDir: string,
  emulator: Emulator,
  times: number,
): Promise<ColdStart[]> {
  const freshDirs: string[] = [];
  const fresh = await measure(
    'PGlite, fresh data dir',
    times,
    logDir,
    emulator,
    (i) => {
      freshDirs[i] = makeTempDir('bench-pglite-fresh-');
      return { kind: 'pglite', dataDir: freshDirs[i] ?? '' };
    },
    (i) => removeTempDir(freshDirs[i] ?? ''),
  );
  const dataDir = makeTempDir('bench-pglite-warm-');
  // One start to initialise it, not counted.
  await timeOneStart(logDir, emulator, { kind: 'pglite', dataDir });
  const initialised = await measure(
    'PGlite, initialised data dir',
    times,
    logDir,
    emulator,
    () => ({
      kind: 'pglite',
      dataDir,
    }),
  );
  removeTempDir(dataDir);
  return [fresh, initialised];
}

export async function coldStartPostgres(
  logDir: string,
  emulator: Emulator,
  url: string,
  times: number,
): Promise<ColdStart> {
  return measure('Postgres server', times, logDir, emulator, () => ({ kind: 'postgres', url }));
}
