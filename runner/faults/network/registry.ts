/**
 * The set of proxies behind one API: every operation of the Toxiproxy 2.x API, shared by the
 * HTTP server and the in-process handle. Errors are ApiError with Toxiproxy's status codes.
 */
import { TcpProxy, type ProxyJson } from './proxy.ts';
import { ApiError } from './api-error.ts';
import { parseToxic, type KnownToxic as Toxic } from './toxic-body.ts';

export interface ProxySpec {
  name: string;
  /** "host:port"; port 0 picks a free port (default "127.0.0.1:0"). */
  listen?: string;
  /** "host:port" of the real service. */
  upstream: string;
  enabled?: boolean;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseProxySpec(body: unknown, where = 'proxy'): ProxySpec {
  if (!isRecord(body)) throw new ApiError(400, `${where} must be a JSON object like {"name": "sb", "listen": "127.0.0.1:0", "upstream": "127.0.0.1:5672"}`);
  const errors: string[] = [];
  if (typeof body.name !== 'string' || body.name === '' || body.name.includes('/')) errors.push('missing required field: name (a non-empty string without "/")');
  if (typeof body.upstream !== 'string') errors.push('missing required field: upstream ("host:port")');
  if (body.listen !== undefined && typeof body.listen !== 'string') errors.push('listen must be "host:port"');
  if (body.enabled !== undefined && typeof body.enabled !== 'boolean') errors.push('enabled must be true or false');
  if (errors.length > 0) throw new ApiError(400, `bad ${where}: ${errors.join('; ')}`);
  return body as unknown as ProxySpec;
}

export class ProxyRegistry {
  private readonly proxies = new Map<string, TcpProxy>();

  list(): Record<string, ProxyJson> {
    return Object.fromEntries([...this.proxies].map(([name, proxy]) => [name, proxy.toJSON()]));
  }

  get(name: string): TcpProxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw new ApiError(404, 'proxy not found');
    return proxy;
  }

  async create(body: unknown): Promise<ProxyJson> {
    const spec = parseProxySpec(body);
    if (this.proxies.has(spec.name)) throw new ApiError(409, 'proxy already exists');
    const proxy = new TcpProxy(spec.name, spec.listen ?? '127.0.0.1:0', spec.upstream);
    proxy.enabled = spec.enabled ?? true;
    await proxy.sync();
    this.proxies.set(spec.name, proxy);
    return proxy.toJSON();
  }

  async update(name: string, body: unknown): Promise<ProxyJson> {
    const proxy = this.get(name);
    if (!isRecord(body)) throw new ApiError(400, 'proxy update must be a JSON object with enabled, listen or upstream');
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw new ApiError(400, 'enabled must be true or false');
    await proxy.update(body as { enabled?: boolean; listen?: string; upstream?: string });
    return proxy.toJSON();
  }

  async delete(name: string): Promise<void> {
    const proxy = this.get(name);
    this.proxies.delete(name);
    await proxy.close();
  }

  /** Toxiproxy's /populate: creates missing proxies, recreates changed ones, keeps the rest. */
  async populate(body: unknown): Promise<{ proxies: ProxyJson[] }> {
    if (!Array.isArray(body)) throw new ApiError(400, 'populate body must be a JSON array of proxies [{"name", "listen", "upstream"}]');
    const specs = body.map((item, i) => parseProxySpec(item, `proxy [${i}]`));
    const result: ProxyJson[] = [];
    for (const spec of specs) {
      const existing = this.proxies.get(spec.name);
      const sameListen = !spec.listen || existing?.listen === spec.listen || /:0$/.test(spec.listen);
      if (existing && existing.upstream === spec.upstream && sameListen) {
        if (spec.enabled !== undefined) await existing.update({ enabled: spec.enabled });
        result.push(existing.toJSON());
        continue;
      }
      if (existing) await this.delete(spec.name);
      result.push(await this.create(spec));
    }
    return { proxies: result };
  }

  /** Toxiproxy's /reset: every proxy enabled, every toxic removed. */
  async reset(): Promise<void> {
    for (const proxy of this.proxies.values()) {
      await proxy.removeAllToxics();
      await proxy.update({ enabled: true });
    }
  }

  async addToxic(proxyName: string, body: unknown): Promise<Toxic> {
    const proxy = this.get(proxyName);
    const toxic = parseToxic(body);
    await proxy.addToxic(toxic);
    return toxic;
  }

  async updateToxic(proxyName: string, toxicName: string, body: unknown): Promise<Toxic> {
    const proxy = this.get(proxyName);
    const toxic = parseToxic(body, proxy.getToxic(toxicName));
    await proxy.replaceToxic(toxic);
    return toxic;
  }

  async removeToxic(proxyName: string, toxicName: string): Promise<void> {
    await this.get(proxyName).removeToxic(toxicName);
  }

  async closeAll(): Promise<void> {
    const proxies = [...this.proxies.values()];
    this.proxies.clear();
    await Promise.all(proxies.map((p) => p.close()));
  }
}
