import type { LogDestination } from './logger';

const OMITTED = new Set(['time', 'level', 'msg', 'pid', 'hostname']);

function field(key: string, value: unknown): string {
  const text = typeof value === 'string' && /^\S+$/.test(value) ? value : JSON.stringify(value);
  return `${key}=${text}`;
}

/**
 * Turns pino's JSON lines into `12:04:05.123 INFO  message  key=value …` for a person at a
 * terminal: the time of day, the level, the message, then the other fields.
 */
export function prettyLines(target: LogDestination): LogDestination {
  return {
    write(line: string) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      const time = new Date(String(entry.time)).toTimeString().slice(0, 8);
      const ms = String(new Date(String(entry.time)).getMilliseconds()).padStart(3, '0');
      const level = String(entry.level).toUpperCase().padEnd(5);
      const fields = Object.entries(entry)
        .filter(([key]) => !OMITTED.has(key))
        .map(([key, value]) => field(key, value));
      const rest = fields.length > 0 ? `  ${fields.join(' ')}` : '';
      target.write(`${time}.${ms} ${level} ${String(entry.msg ?? '')}${rest}\n`);
    },
  };
}
