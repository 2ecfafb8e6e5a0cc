/**
 * Keep-alive HTTP client for the music backend's api (undici Pool, a fixed number of
 * connections). Calls never throw: every outcome is a status (0 = no answer) and, for
 * failures, a short error text fit for a history record.
 */
import { Pool } from 'undici';
import { UserError } from '../contracts/errors.ts';

export interface HttpOutcome {
  /** HTTP status; 0 when there was no answer (refused, reset, timeout, aborted) */
  status: number;
  /** short error text when not 2xx */
  error?: string;
}

export interface BackendClientOptions {
  connections: number;
  requestTimeoutMs: number;
}

export interface CommentBody {
  opId: string;
  seq: number;
  text: string;
  author: string;
}

const MAX_ERROR_CHARS = 160;

export class BackendClient {
  private readonly pool: Pool;
  private readonly pathPrefix: string;

  constructor(baseUrl: string, private readonly options: BackendClientOptions) {
    let url: URL;
    try {
      url = new URL(baseUrl);
    } catch {
      throw new UserError(`baseUrl: expected an http(s) URL of the music backend api such as http://127.0.0.1:8080 (got ${JSON.stringify(baseUrl)})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UserError(`baseUrl: expected an http:// or https:// URL (got ${JSON.stringify(baseUrl)})`);
    }
    this.pathPrefix = url.pathname.replace(/\/+$/, '');
    this.pool = new Pool(url.origin, {
      connections: options.connections,
      pipelining: 1,
      keepAliveTimeout: 30_000,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
    });
  }

  postSong(id: string, title: string, bytes: Buffer): Promise<HttpOutcome> {
    return this.request('POST', '/songs', bytes, {
      'content-type': 'application/octet-stream',
      'x-op-id': id,
      'x-song-title': title,
    });
  }

  postComment(songId: string, body: CommentBody): Promise<HttpOutcome> {
    return this.request('POST', `/songs/${encodeURIComponent(songId)}/comments`, JSON.stringify(body), {
      'content-type': 'application/json',
    });
  }

  health(): Promise<HttpOutcome> {
    return this.request('GET', '/health', undefined, {});
  }

  getSong(id: string): Promise<HttpOutcome> {
    return this.request('GET', `/songs/${encodeURIComponent(id)}`, undefined, {});
  }

  /** Waits for requests in flight, then closes the connections. */
  close(): Promise<void> {
    return this.pool.close();
  }

  /** Fails every request still in flight (status 0) and closes the connections. */
  destroy(): Promise<void> {
    return this.pool.destroy(new Error('load engine stopped'));
  }

  private async request(method: 'GET' | 'POST', path: string, body: Buffer | string | undefined, headers: Record<string, string>): Promise<HttpOutcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.options.requestTimeoutMs);
    try {
      const res = await this.pool.request({ method, path: this.pathPrefix + path, body, headers, signal: controller.signal });
      if (res.statusCode >= 200 && res.statusCode < 300) {
        // the answer is the acknowledgement; a body cut short afterwards does not undo it
        await res.body.dump().catch(() => undefined);
        return { status: res.statusCode };
      }
      const text = await res.body.text().catch(() => '');
      return { status: res.statusCode, error: errorText(res.statusCode, text) };
    } catch (error) {
      return { status: 0, error: controller.signal.aborted ? `timeout after ${this.options.requestTimeoutMs} ms` : describeError(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

function errorText(status: number, body: string): string {
  let text = body.trim();
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed?.error === 'string') text = parsed.error;
  } catch {
    // not JSON: keep the raw text
  }
  return (text || `HTTP ${status}`).slice(0, MAX_ERROR_CHARS);
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const text = typeof code === 'string' ? `${code}: ${error.message}` : error.message;
    return text.slice(0, MAX_ERROR_CHARS);
  }
  return String(error).slice(0, MAX_ERROR_CHARS);
}
