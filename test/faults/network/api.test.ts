/** The Toxiproxy-compatible API, driven by the npm toxiproxy-node-client and by raw HTTP. */
import { describe, expect, it } from 'vitest';
import { Toxiproxy, type ICreateToxicBody, type Latency } from 'toxiproxy-node-client';
import { FaultProxyClient, FaultProxyError, startFaultProxy, TOXIC_TYPES } from '../../../runner/faults/network/index.ts';
import { connect, startServer, tryConnect } from './helpers.ts';

async function withProxy(fn: (apiUrl: string, upstream: string) => Promise<void>): Promise<void> {
  const server = await startServer('echo');
  const faults = await startFaultProxy();
  try {
    await fn(faults.apiUrl, `127.0.0.1:${server.port}`);
  } finally {
    await Promise.all([faults.close(), server.close()]);
  }
}

async function raw(apiUrl: string, method: string, path: string, body?: string): Promise<{ status: number; json: { error?: string; status?: number } }> {
  const res = await fetch(apiUrl + path, { method, body, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as { error?: string }) : {} };
}

describe('Toxiproxy-compatible API', { timeout: 20_000 }, () => {
  it('toxiproxy-node-client creates a proxy, adds and removes a toxic, resets and populates', async () => {
    await withProxy(async (apiUrl, upstream) => {
      const toxiproxy = new Toxiproxy(apiUrl);
      expect(await toxiproxy.getVersion()).toMatch(/^2\./);
      const proxy = await toxiproxy.createProxy({ name: 'sb', listen: '127.0.0.1:0', upstream });
      expect(proxy.listen).toMatch(/^127\.0\.0\.1:[1-9]\d*$/);
      expect(proxy.enabled).toBe(true);

      const body: ICreateToxicBody<Latency> = { name: 'slow', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 250, jitter: 0 } };
      const toxic = await proxy.addToxic(body);
      expect(toxic.toJson()).toEqual(body);
      expect((await proxy.getToxic('slow')).attributes).toEqual({ latency: 250, jitter: 0 });

      const c = await connect(proxy.listen);
      const started = performance.now();
      c.socket.write('x');
      await c.waitBytes(1);
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
      await toxic.remove();
      expect((await toxiproxy.get('sb')).toJson()).toMatchObject({ name: 'sb', upstream });
      c.socket.destroy();

      await proxy.addToxic({ ...body, name: 'again' });
      await proxy.update({ enabled: false, listen: proxy.listen, upstream });
      expect(await tryConnect(proxy.listen)).toBe('ECONNREFUSED');
      await toxiproxy.reset();
      const afterReset = await toxiproxy.get('sb');
      expect(afterReset.enabled).toBe(true);
      expect(await tryConnect(proxy.listen)).toBe('connected');
      const rawProxy = await raw(apiUrl, 'GET', '/proxies/sb/toxics');
      expect(rawProxy.json).toEqual([]);

      const populated = await toxiproxy.populate([
        { name: 'sb', listen: proxy.listen, upstream },
        { name: 'eh', listen: '127.0.0.1:0', upstream },
      ]);
      expect(Object.keys(populated).sort()).toEqual(['eh', 'sb']);
      expect(Object.keys(await toxiproxy.getAll()).sort()).toEqual(['eh', 'sb']);
      await (await toxiproxy.get('eh')).remove();
      expect(Object.keys(await toxiproxy.getAll())).toEqual(['sb']);
    });
  });

  it('answers errors as Toxiproxy: 404 unknown proxy, 409 duplicates, 400 bad bodies with clear messages', async () => {
    await withProxy(async (apiUrl, upstream) => {
      const missing = await raw(apiUrl, 'GET', '/proxies/nope');
      expect(missing).toEqual({ status: 404, json: { error: 'proxy not found', status: 404 } });
      expect((await raw(apiUrl, 'POST', '/proxies', JSON.stringify({ name: 'a', upstream }))).status).toBe(201);
      const dup = await raw(apiUrl, 'POST', '/proxies', JSON.stringify({ name: 'a', upstream }));
      expect(dup.status).toBe(409);

      const malformed = await raw(apiUrl, 'POST', '/proxies/a/toxics', '{"type": "latency",');
      expect(malformed.status).toBe(400);
      expect(malformed.json.error).toMatch(/not valid JSON/);

      const unknown = await raw(apiUrl, 'POST', '/proxies/a/toxics', JSON.stringify({ type: 'lag' }));
      expect(unknown.status).toBe(400);
      for (const type of TOXIC_TYPES) expect(unknown.json.error).toContain(type);

      const badAttr = await raw(apiUrl, 'POST', '/proxies/a/toxics', JSON.stringify({ type: 'latency', attributes: { latencyMs: 5, jitter: -1 } }));
      expect(badAttr.status).toBe(400);
      expect(badAttr.json.error).toMatch(/latencyMs is not an attribute of latency/);
      expect(badAttr.json.error).toMatch(/jitter must be a number >= 0/);

      const badStream = await raw(apiUrl, 'POST', '/proxies/a/toxics', JSON.stringify({ type: 'latency', stream: 'sideways', toxicity: 2 }));
      expect(badStream.json.error).toMatch(/stream must be "upstream" or "downstream".*toxicity must be a number from 0 to 1/);

      expect((await raw(apiUrl, 'POST', '/proxies/a/toxics', JSON.stringify({ type: 'latency' }))).status).toBe(200);
      expect((await raw(apiUrl, 'POST', '/proxies/a/toxics', JSON.stringify({ type: 'latency' }))).status).toBe(409);
      expect((await raw(apiUrl, 'DELETE', '/proxies/a/toxics/zzz')).json.error).toBe('toxic not found');
      expect((await raw(apiUrl, 'POST', '/proxies', JSON.stringify({ name: 'b' }))).json.error).toMatch(/missing required field: upstream/);
      expect((await raw(apiUrl, 'POST', '/proxies', JSON.stringify({ name: 'b', upstream: 'nohostport' }))).json.error).toMatch(/upstream must be "host:port"/);
      expect((await raw(apiUrl, 'POST', '/populate', '{}')).status).toBe(400);
    });
  });

  it('FaultProxyClient drives the same API and surfaces its errors', async () => {
    await withProxy(async (apiUrl, upstream) => {
      const client = new FaultProxyClient(apiUrl);
      const proxy = await client.createProxy({ name: 'q', upstream });
      const toxic = await client.addToxic('q', { type: 'bandwidth', stream: 'upstream', attributes: { rate: 50 } });
      expect(toxic).toEqual({ name: 'bandwidth_upstream', type: 'bandwidth', stream: 'upstream', toxicity: 1, attributes: { rate: 50 } });
      expect((await client.getProxy('q')).toxics).toHaveLength(1);
      await client.removeToxic('q', 'bandwidth_upstream');
      const error = await client.addToxic('q', { type: 'nope' as never }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(FaultProxyError);
      expect((error as FaultProxyError).status).toBe(400);
      expect((await client.listProxies()).q?.listen).toBe(proxy.listen);
    });
    const gone = await new FaultProxyClient('http://127.0.0.1:1').version().catch((e: Error) => e.message);
    expect(gone).toMatch(/cannot reach the fault proxy API at http:\/\/127\.0\.0\.1:1/);
  });
});
