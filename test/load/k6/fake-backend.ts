/**
 * A trivial stand-in for the music backend's api (for engine-level tests and the bench):
 * POST /songs and POST /songs/:id/comments answer 202, GET /songs/:id and /health answer 200.
 * Counts what it received, per x-op-id / comment opId, so tests can check ids and totals.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeBackend {
  url: string;
  songOps: string[];
  commentOps: string[];
  close(): Promise<void>;
}

/** `postDelayMs`: hold every POST answer this long (to saturate an engine). */
export async function startFakeBackend(postDelayMs = 0): Promise<FakeBackend> {
  const songOps: string[] = [];
  const commentOps: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => setTimeout(answer, req.method === 'POST' ? postDelayMs : 0));
    function answer() {
      const url = req.url ?? '/';
      if (req.method === 'POST' && url === '/songs') {
        songOps.push(String(req.headers['x-op-id']));
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else if (req.method === 'POST' && /^\/songs\/[^/]+\/comments$/.test(url)) {
        commentOps.push((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { opId: string }).opId);
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
      } else if (req.method === 'GET') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else {
        res.writeHead(404).end();
      }
    }
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    songOps,
    commentOps,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
