/**
 * FaultProxyClient: talks to any Toxiproxy 2.x-compatible API over HTTP (moshpit's own proxy or
 * an existing Toxiproxy server, e.g. `--toxiproxy http://host:8474`).
 */
import { UserError } from '../../contracts/errors.ts';
import type { ProxyJson } from './proxy.ts';
import type { ProxySpec } from './registry.ts';
import type { KnownToxic as Toxic } from './toxic-body.ts';
import type { ToxicType } from './toxics/index.ts';
import type { ToxicStream } from './toxics/toxic.ts';

/** A toxic to add: Toxiproxy's body; name defaults to `${type}_${stream}`, stream to downstream. */
export interface ToxicSpec {
  type: ToxicType;
  name?: string;
  stream?: ToxicStream;
  toxicity?: number;
  attributes?: Record<string, number>;
}

/** The control surface shared by the in-process proxy and the HTTP client. */
export interface FaultProxyControl {
  readonly apiUrl: string;
  createProxy(spec: ProxySpec): Promise<ProxyJson>;
  getProxy(name: string): Promise<ProxyJson>;
  listProxies(): Promise<Record<string, ProxyJson>>;
  updateProxy(name: string, fields: { enabled?: boolean; listen?: string; upstream?: string }): Promise<ProxyJson>;
  deleteProxy(name: string): Promise<void>;
  populate(specs: ProxySpec[]): Promise<ProxyJson[]>;
  addToxic(proxyName: string, toxic: ToxicSpec): Promise<Toxic>;
  updateToxic(proxyName: string, toxicName: string, fields: Partial<ToxicSpec>): Promise<Toxic>;
  removeToxic(proxyName: string, toxicName: string): Promise<void>;
  /** Every proxy enabled, every toxic removed. */
  reset(): Promise<void>;
  version(): Promise<string>;
}

/** The API answered with an error status; `message` is its `error` text. */
export class FaultProxyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'FaultProxyError';
  }
}

export class FaultProxyClient implements FaultProxyControl {
  readonly apiUrl: string;

  constructor(apiUrl: string) {
    let url: URL;
    try {
      url = new URL(apiUrl);
    } catch {
      throw new UserError(`--toxiproxy must be an http URL like http://127.0.0.1:8474 (got ${JSON.stringify(apiUrl)})`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--toxiproxy must be an http URL (got ${apiUrl})`);
    this.apiUrl = apiUrl.replace(/\/+$/, '');
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.apiUrl}${path}`, {
        method,
        headers: body === undefined ? undefined : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new UserError(`cannot reach the fault proxy API at ${this.apiUrl} (${cause}): start it or fix the URL`);
    }
    const text = await res.text();
    if (!res.ok) {
      let message = text.trim() || res.statusText;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? message;
      } catch {
        /* plain-text error */
      }
      throw new FaultProxyError(res.status, `${method} ${path}: ${message} (HTTP ${res.status})`);
    }
    if (text === '') return undefined;
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }

  private static p(name: string): string {
    return `/proxies/${encodeURIComponent(name)}`;
  }

  async createProxy(spec: ProxySpec): Promise<ProxyJson> {
    return (await this.call('POST', '/proxies', { listen: '127.0.0.1:0', enabled: true, ...spec })) as ProxyJson;
  }
  async getProxy(name: string): Promise<ProxyJson> {
    return (await this.call('GET', FaultProxyClient.p(name))) as ProxyJson;
  }
  async listProxies(): Promise<Record<string, ProxyJson>> {
    return (await this.call('GET', '/proxies')) as Record<string, ProxyJson>;
  }
  async updateProxy(name: string, fields: { enabled?: boolean; listen?: string; upstream?: string }): Promise<ProxyJson> {
    return (await this.call('POST', FaultProxyClient.p(name), fields)) as ProxyJson;
  }
  async deleteProxy(name: string): Promise<void> {
    await this.call('DELETE', FaultProxyClient.p(name));
  }
  async populate(specs: ProxySpec[]): Promise<ProxyJson[]> {
    return ((await this.call('POST', '/populate', specs)) as { proxies: ProxyJson[] }).proxies;
  }
  async addToxic(proxyName: string, toxic: ToxicSpec): Promise<Toxic> {
    return (await this.call('POST', `${FaultProxyClient.p(proxyName)}/toxics`, toxic)) as Toxic;
  }
  async updateToxic(proxyName: string, toxicName: string, fields: Partial<ToxicSpec>): Promise<Toxic> {
    return (await this.call('POST', `${FaultProxyClient.p(proxyName)}/toxics/${encodeURIComponent(toxicName)}`, fields)) as Toxic;
  }
  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    await this.call('DELETE', `${FaultProxyClient.p(proxyName)}/toxics/${encodeURIComponent(toxicName)}`);
  }
  async reset(): Promise<void> {
    await this.call('POST', '/reset');
  }
  async version(): Promise<string> {
    const v = await this.call('GET', '/version');
    return typeof v === 'string' ? v : JSON.stringify(v);
  }
}
