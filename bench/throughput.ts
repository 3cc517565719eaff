// Throughput of ours vs the baseline vs the emulator alone, alternated to spread machine noise.
import { type LoadFigures, type LoadTarget, runAutocannon } from './autocannon-run';
import { readRssMb, sampleRss } from './memory';
import { median, round } from './stats';

export interface ThroughputRow {
  label: string;
  database: string;
  connections: number;
  runs: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

export interface MemoryRuns {
  /** Highest VmRSS during each 50-connection run of the server, in MB. */
  peaksMb: number[];
  /** VmRSS 1.5 s after each of those runs, in MB. */
  afterMb: number[];
}

const SETTLE_MS = 1_500;

export function summarise(label: string, database: string, runs: LoadFigures[]): ThroughputRow {
  const first = runs[0];
  if (!first) throw new Error(`no runs for ${label}`);
  return {
    label,
    database,
    connections: first.connections,
    runs: runs.length,
    rps: round(median(runs.map((r) => r.rps))),
    p50Ms: round(median(runs.map((r) => r.p50Ms))),
    p99Ms: round(median(runs.map((r) => r.p99Ms))),
    errors: runs.reduce((total, r) => total + r.errors, 0),
  };
}

/** Short runs at 10 connections so JIT, pools and keep-alive sockets are warm before measuring. */
export async function warmUp(targets: LoadTarget[], seconds: number): Promise<void> {
  for (const target of targets) {
    const figures = await runAutocannon(target, 10, seconds);
    if (figures.errors > 0) {
      throw new Error(
        `warm-up of ${target.label}: ${figures.errors} errors in ${figures.requests}`,
      );
    }
  }
}

/**
 * Runs the targets in turn (A B C A B C …) `rounds` times at `connections`; while a target listed
 * in `memoryOf` runs, samples the resident memory of its server every 100 ms.
 */
export async function alternate(
  targets: LoadTarget[],
  connections: number,
  seconds: number,
  rounds: number,
  memoryOf: { label: string; pid: number }[] = [],
  onRun: (figures: LoadFigures) => void = () => {},
): Promise<{ runs: Map<string, LoadFigures[]>; memory: Map<string, MemoryRuns> }> {
  const runs = new Map<string, LoadFigures[]>(targets.map((t) => [t.label, []]));
  const memory = new Map<string, MemoryRuns>(
    memoryOf.map(({ label }) => [label, { peaksMb: [], afterMb: [] }]),
  );
  for (let pass = 0; pass < rounds; pass++) {
    for (const target of targets) {
      const server = memoryOf.find((m) => m.label === target.label);
      const sampler = server ? sampleRss(server.pid, 100) : undefined;
      const figures = await runAutocannon(target, connections, seconds);
      runs.get(target.label)?.push(figures);
      onRun(figures);
      const samples = memory.get(target.label);
      if (sampler && server && samples) {
        samples.peaksMb.push(round1(sampler.stop()));
        await new Promise((done) => setTimeout(done, SETTLE_MS));
        samples.afterMb.push(round1(readRssMb(server.pid)));
      }
    }
  }
  return { runs, memory };
}

const round1 = (value: number) => round(value, 1);
