/**
 * A tiny in-memory stand-in for the music backend's HTTP API (node:http, 127.0.0.1, port 0)
 * for the load engine's tests. `behave` decides per request: answer normally, answer with an
 * error status, stall (never answer until close), or destroy the socket.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Behaviour = 'normal' | 'stall' | 'destroy' | { status: number };

export interface StubOptions {
  /** ms between accepting a song and GET /songs/:id answering 200 (default 0); Infinity = never */
  commitDelayMs?: number;
  behave?: (req: IncomingMessage, opId: string | undefined) => Behaviour;
}

export interface StoredSong {
  sum: string;
  sizeBytes: number;
  title: string;
  committedAtMs?: number;
}

export interface StubBackend {
  baseUrl: string;
  songs: Map<string, StoredSong>;
  /** comments per song in arrival order */
  comments: Map<string, { opId: string; seq: number; text: string; author: string; atMs: number }[]>;
  commentsRejected: number;
  close(): Promise<void>;
}

export async function startStubBackend(options: StubOptions = {}): Promise<StubBackend> {
  const stalled = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const state: StubBackend = { baseUrl: '', songs: new Map(), comments: new Map(), commentsRejected: 0, close: async () => {} };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const opId = req.headers['x-op-id'];
      const behaviour = options.behave?.(req, typeof opId === 'string' ? opId : undefined) ?? 'normal';
      if (behaviour === 'stall') return void stalled.add(res);
      if (behaviour === 'destroy') return void req.socket.destroy();
      if (typeof behaviour === 'object') return json(res, behaviour.status, { error: `stub says ${behaviour.status}` });
      route(req, res, Buffer.concat(chunks));
    });
  });

  function route(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const url = req.url ?? '/';
    const comment = /^\/songs\/([^/]+)\/comments$/.exec(url);
    const song = /^\/songs\/([^/]+)$/.exec(url);
    if (req.method === 'POST' && url === '/songs') return postSong(req, res, body);
    if (req.method === 'POST' && comment) return postComment(res, decodeURIComponent(comment[1]!), body);
    if (req.method === 'GET' && song) {
      const stored = state.songs.get(decodeURIComponent(song[1]!));
      return stored?.committedAtMs !== undefined ? json(res, 200, { id: song[1] }) : json(res, 404, { error: 'unknown song' });
    }
    if (req.method === 'GET' && url === '/health') return json(res, 200, { ok: true });
    json(res, 404, { error: 'no such route' });
  }

  function postSong(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const id = req.headers['x-op-id'];
    if (typeof id !== 'string' || req.headers['content-type'] !== 'application/octet-stream') return json(res, 400, { error: 'bad upload' });
    const sum = createHash('sha256').update(body).digest('hex');
    const stored: StoredSong = { sum, sizeBytes: body.length, title: String(req.headers['x-song-title'] ?? '') };
    state.songs.set(id, stored);
    const delayMs = options.commitDelayMs ?? 0;
    if (delayMs === 0) stored.committedAtMs = Date.now();
    else if (Number.isFinite(delayMs)) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        stored.committedAtMs = Date.now();
      }, delayMs);
      timers.add(timer);
    }
    json(res, 202, { id });
  }

  function postComment(res: ServerResponse, songId: string, body: Buffer) {
    if (state.songs.get(songId)?.committedAtMs === undefined) {
      state.commentsRejected++;
      return json(res, 404, { error: `song ${songId} is not stored yet` });
    }
    const parsed = JSON.parse(body.toString('utf8')) as { opId: string; seq: number; text: string; author: string };
    const list = state.comments.get(songId) ?? [];
    list.push({ ...parsed, atMs: Date.now() });
    state.comments.set(songId, list);
    json(res, 202, { id: parsed.opId });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = async () => {
    for (const timer of timers) clearTimeout(timer);
    for (const res of stalled) res.socket?.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return state;
}

function json(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
