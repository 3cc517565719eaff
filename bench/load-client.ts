// A closed-loop load generator: one keep-alive connection per signed-in client, each sending its
// next request when the previous one is answered, until the deadline. Unlike autocannon, it lets
// every request in flight at the deadline finish, so each 2xx it counts is one the server sent.
import { Agent, request } from 'node:http';
import { percentileOfSorted } from './stats';

export interface LoadClient {
  cookie: string;
}

export interface ClosedLoopOptions {
  url: string;
  origin: string;
  clients: LoadClient[];
  durationMs: number;
  /** A request unanswered this long counts as a socket error. */
  requestTimeoutMs: number;
  body: string;
}

export interface ClosedLoopResult {
  requests: number;
  ok: number;
  non2xx: number;
  socketErrors: number;
  statusCounts: Record<string, number>;
  p50Ms: number;
  p99Ms: number;
  elapsedMs: number;
  /** The body of every 2xx answer, for the caller to check against what the server recorded. */
  okBodies: string[];
}

interface Answer {
  status: number;
  body: string;
}

function post(
  agent: Agent,
  options: ClosedLoopOptions,
  cookie: string,
  payload: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      options.url,
      {
        method: 'POST',
        agent,
        headers: {
          cookie,
          origin: options.origin,
          'content-type': 'application/json',
          'content-length': payload.length,
        },
        timeout: options.requestTimeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function closedLoop(options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const payload = Buffer.from(options.body);
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const okBodies: string[] = [];
  let socketErrors = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;

  const worker = async (client: LoadClient) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (performance.now() < deadline) {
        const sent = performance.now();
        try {
          const answer = await post(agent, options, client.cookie, payload);
          latencies.push(performance.now() - sent);
          statusCounts[answer.status] = (statusCounts[answer.status] ?? 0) + 1;
          if (answer.status >= 200 && answer.status < 300) okBodies.push(answer.body);
        } catch {
          socketErrors++;
          // Do not spin on a refused connection.
          await new Promise((done) => setTimeout(done, 50));
        }
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(options.clients.map(worker));

  latencies.sort((a, b) => a - b);
  const ok = okBodies.length;
  const answered = latencies.length;
  return {
    requests: answered + socketErrors,
    ok,
    non2xx: answered - ok,
    socketErrors,
    statusCounts,
    p50Ms: percentileOfSorted(latencies, 50),
    p99Ms: percentileOfSorted(latencies, 99),
    elapsedMs: performance.now() - started,
    okBodies,
  };
}
