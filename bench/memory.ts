// Resident memory of a process, read from /proc/<pid>/status (Linux only).
import { readFileSync } from 'node:fs';

const MB = 1024 * 1024;

/** VmRSS of `pid` in MB, or NaN when the process is gone or /proc is unavailable. */
export function readRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? Number.NaN : (Number(kb) * 1024) / MB;
  } catch {
    return Number.NaN;
  }
}

export interface RssSampler {
  /** Stops sampling and returns the highest VmRSS seen, in MB. */
  stop(): number;
}

/** Samples VmRSS of `pid` every `intervalMs` until stopped. */
export function sampleRss(pid: number, intervalMs = 100): RssSampler {
  let peak = readRssMb(pid);
  const timer = setInterval(() => {
    const rss = readRssMb(pid);
    if (!(rss <= peak)) peak = Number.isNaN(peak) ? rss : Math.max(peak, rss);
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, readRssMb(pid));
    },
  };
}

export interface MemoryVerdict {
  database: string;
  idleMb: number;
  peakMb: number;
  afterRunsMb: number[];
  checks: { name: string; pass: boolean; detail: string }[];
}

/** Growth above this between the first and the last run counts as growth (allocator noise). */
export const GROWTH_TOLERANCE_MB = 10;
export const PEAK_HEADROOM_MB = 100;

/** Judges one server's memory against the budgets: idle, peak over idle, growth between runs. */
export function judgeMemory(
  database: string,
  idleBudgetMb: number,
  idleMb: number,
  peaksMb: number[],
  afterRunsMb: number[],
): MemoryVerdict {
  const peakMb = peaksMb.length > 0 ? Math.max(...peaksMb) : Number.NaN;
  const first = afterRunsMb[0] ?? Number.NaN;
  const last = afterRunsMb[afterRunsMb.length - 1] ?? Number.NaN;
  const growth = last - first;
  const mb = (value: number) => `${value.toFixed(1)} MB`;
  const checks: MemoryVerdict['checks'] = [
    { name: `idle ≤ ${idleBudgetMb} MB`, pass: idleMb <= idleBudgetMb, detail: mb(idleMb) },
  ];
  // Without load runs (a start-up only measurement) there is no peak or growth to judge.
  if (peaksMb.length > 0) {
    checks.push(
      {
        name: `peak ≤ idle + ${PEAK_HEADROOM_MB} MB`,
        pass: peakMb <= idleMb + PEAK_HEADROOM_MB,
        detail: `${mb(peakMb)} (idle ${peakMb >= idleMb ? '+' : '−'} ${mb(Math.abs(peakMb - idleMb))})`,
      },
      {
        name: `no growth over ${afterRunsMb.length} runs (≤ ${GROWTH_TOLERANCE_MB} MB)`,
        pass: afterRunsMb.length >= 2 && growth <= GROWTH_TOLERANCE_MB,
        detail: `after each run: ${afterRunsMb.map((v) => v.toFixed(1)).join(' → ')} MB`,
      },
    );
  }
  return { database, idleMb, peakMb, afterRunsMb, checks };
}
