/**
 * Toxiproxy 2.x-compatible HTTP API over a ProxyRegistry (node:http, no framework).
 * Status codes as Toxiproxy: create proxy/populate 201, toxic create/update 200, deletes and
 * reset 204, errors JSON {error, status}.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProxyRegistry } from './registry.ts';
import { ApiError } from './api-error.ts';

/** Compatible Toxiproxy version reported by GET /version. */
export const TOXIPROXY_COMPAT_VERSION = '2.12.0';
const MAX_BODY_BYTES = 1 << 20;

interface Reply {
  status: number;
  body?: unknown;
  text?: string;
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  let sizeBytes = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    sizeBytes += part.length;
    if (sizeBytes > MAX_BODY_BYTES) throw new ApiError(413, 'request body over 1 MB');
    parts.push(part);
  }
  const text = Buffer.concat(parts).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, `bad request body: not valid JSON (${(error as Error).message})`);
  }
}

async function route(registry: ProxyRegistry, method: string, parts: string[], req: http.IncomingMessage): Promise<Reply> {
  const [root, proxy, sub, toxic] = parts;
  if (parts.length === 1 && root === 'version' && method === 'GET') return { status: 200, text: TOXIPROXY_COMPAT_VERSION };
  if (parts.length === 1 && root === 'reset' && method === 'POST') return (await registry.reset(), { status: 204 });
  if (parts.length === 1 && root === 'populate' && method === 'POST') return { status: 201, body: await registry.populate(await readJson(req)) };
  if (root !== 'proxies') throw new ApiError(404, 'not found');
  if (parts.length === 1) {
    if (method === 'GET') return { status: 200, body: registry.list() };
    if (method === 'POST') return { status: 201, body: await registry.create(await readJson(req)) };
  } else if (parts.length === 2) {
    if (method === 'GET') return { status: 200, body: registry.get(proxy!).toJSON() };
    if (method === 'POST' || method === 'PATCH') return { status: 200, body: await registry.update(proxy!, await readJson(req)) };
    if (method === 'DELETE') return (await registry.delete(proxy!), { status: 204 });
  } else if (sub === 'toxics' && parts.length === 3) {
    if (method === 'GET') return { status: 200, body: registry.get(proxy!).toxics };
    if (method === 'POST') return { status: 200, body: await registry.addToxic(proxy!, await readJson(req)) };
  } else if (sub === 'toxics' && parts.length === 4) {
    if (method === 'GET') return { status: 200, body: registry.get(proxy!).getToxic(toxic!) };
    if (method === 'POST' || method === 'PATCH') return { status: 200, body: await registry.updateToxic(proxy!, toxic!, await readJson(req)) };
    if (method === 'DELETE') return (await registry.removeToxic(proxy!, toxic!), { status: 204 });
  } else {
    throw new ApiError(404, 'not found');
  }
  throw new ApiError(405, `method ${method} not allowed on /${parts.join('/')}`);
}

function send(res: http.ServerResponse, reply: Reply): void {
  if (reply.text !== undefined) {
    res.writeHead(reply.status, { 'content-type': 'text/plain; charset=utf-8' }).end(reply.text);
  } else if (reply.body === undefined) {
    res.writeHead(reply.status).end();
  } else {
    res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
  }
}

export interface ApiServer {
  apiUrl: string;
  close(): Promise<void>;
}

/** Serves the API on host:port (port 0 = a free port). */
export async function startApiServer(registry: ProxyRegistry, host: string, port: number): Promise<ApiServer> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    route(registry, req.method ?? 'GET', parts, req).then(
      (reply) => send(res, reply),
      (error: unknown) => {
        const status = error instanceof ApiError ? error.status : 500;
        const message = error instanceof Error ? error.message : String(error);
        send(res, { status, body: { error: message, status } });
      },
    );
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    apiUrl: `http://${urlHost}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
