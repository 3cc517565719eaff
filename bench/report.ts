// The bench's results: their shape, the printed tables, bench/results.json.
import { writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { type BundleSize, JS_BUDGET_BYTES, kb } from '../scripts/bundle-size';
import type { ColdStart } from './cold-start';
import type { MemoryVerdict } from './memory';
import type { ThroughputRow } from './throughput';

export interface Ratio {
  name: string;
  connections: number;
  value: number;
  goal: string;
}

export interface Results {
  date: string;
  machine: { nproc: number; cpu: string; memoryGb: number; freeMemoryGb: number; node: string };
  settings: Record<string, string | number>;
  throughput: ThroughputRow[];
  ratios: Ratio[];
  coldStart: ColdStart[];
  bundle: BundleSize;
  memory: MemoryVerdict[];
  testWallSeconds: number | null;
  notes: string[];
}

export function machineInfo(): Results['machine'] {
  const gb = (bytes: number) => Math.round((bytes / 1024 ** 3) * 10) / 10;
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: gb(totalmem()),
    freeMemoryGb: gb(freemem()),
    node: process.version,
  };
}

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((row) => row.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  return [line(head), rule, ...cells.slice(1).map(line)].join('\n');
}

/** The whole report as Markdown tables (printed, and pasted into docs/benchmarks.md). */
export function formatReport(results: Results): string {
  const out: string[] = [];
  const m = results.machine;
  out.push(
    `Machine: ${m.nproc} CPU (${m.cpu}), ${m.memoryGb} GB RAM, Node ${m.node}; ${results.date}`,
    `Settings: ${Object.entries(results.settings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
    '### billing.createPortalSession throughput (median of alternated runs)',
    '',
    table(
      ['Server', 'Database', 'Conns', 'Runs', 'req/s', 'p50 ms', 'p99 ms', 'Errors'],
      results.throughput.map((r) => [
        r.label,
        r.database,
        r.connections,
        r.runs,
        r.rps,
        r.p50Ms,
        r.p99Ms,
        r.errors,
      ]),
    ),
    '',
    '### Ratios (req/s unless named; compare these, not the absolute numbers)',
    '',
    table(
      ['Ratio', 'Conns', 'Value', 'Goal'],
      results.ratios.map((r) => [r.name, r.connections, r.value.toFixed(2), r.goal]),
    ),
    '',
    '### Cold start: spawn of `node dist/server/main.js` → first 200 on /healthz',
    '',
    table(
      ['Database', 'Median ms', 'Samples ms'],
      results.coldStart.map((c) => [c.label, c.medianMs, c.samplesMs.join(', ')]),
    ),
    '',
    '### Client bundle (account page, bytes over the wire: brotli)',
    '',
    table(
      ['File', 'Bytes', 'Brotli'],
      results.bundle.files.map((f) => [f.path, kb(f.bytes), kb(f.wireBytes)]),
    ),
    '',
    `JS ${kb(results.bundle.jsWireBytes)} + CSS ${kb(results.bundle.cssWireBytes)} brotli; JS budget ${kb(JS_BUDGET_BYTES)}: ${results.bundle.withinBudget ? 'PASS' : 'FAIL (WARNING)'}`,
    '',
    '### Server memory (VmRSS of the server process; peak sampled every 100 ms at 50 connections)',
    '',
    table(
      ['Database', 'Check', 'Result', 'Measured'],
      results.memory.flatMap((v) =>
        v.checks.map((c) => [v.database, c.name, c.pass ? 'PASS' : 'FAIL', c.detail]),
      ),
    ),
    '',
    `npm test wall time: ${results.testWallSeconds === null ? 'not run (pass --with-tests)' : `${results.testWallSeconds} s`}`,
  );
  if (results.notes.length > 0) out.push('', ...results.notes.map((n) => `- ${n}`));
  return out.join('\n');
}

export function writeResults(path: string, results: Results): void {
  writeFileSync(path, `${JSON.stringify(results, null, 2)}\n`);
}
