import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server that answers every request with one documented answer: Recur, at the network edge. */
export async function serveAnswer(answer: {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}): Promise<{
  url: string;
  requests: { method: string; url: string; body: string }[];
  close(): Promise<void>;
}> {
  const requests: { method: string; url: string; body: string }[] = [];
  const server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    requests.push({ method: req.method ?? '', url: req.url ?? '', body });
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
