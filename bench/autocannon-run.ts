// One bounded autocannon run against one POST endpoint, reduced to the figures the bench reports.
import autocannon from 'autocannon';

export interface LoadTarget {
  label: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoadFigures {
  label: string;
  connections: number;
  /** Mean requests per second (autocannon's per-second samples). */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Non-2xx answers plus socket errors (timeouts included): a run with any is flagged. */
  errors: number;
}

export async function runAutocannon(
  target: LoadTarget,
  connections: number,
  durationSeconds: number,
): Promise<LoadFigures> {
  const instance = autocannon({
    url: target.url,
    method: 'POST',
    headers: target.headers,
    body: target.body,
    connections,
    duration: durationSeconds,
    timeout: 10,
  });
  // Belt and braces: autocannon stops itself at `duration`; this bounds a wedged run.
  const guard = setTimeout(() => instance.stop(), (durationSeconds + 15) * 1000);
  try {
    const result = await instance;
    return {
      label: target.label,
      connections,
      rps: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result['2xx'] + result.non2xx,
      errors: result.non2xx + result.errors,
    };
  } finally {
    clearTimeout(guard);
  }
}
