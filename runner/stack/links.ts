/**
 * Puts the fault proxy between the music backend and its broker: one proxy per broker link,
 * and the endpoints handed to the backend rewritten to the proxies' listen addresses. Network
 * faults on "broker" then act on those links. Event Grid has two: the publish path, and the push
 * hop (its deliveries to the workers' webhooks), which the emulator sends through the proxy as
 * CONNECT tunnels relayed by its control port (fixtures/emulators/event-grid/push-route.ts).
 */
import type { Tech } from '../techs.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { FaultProxyControl } from '../faults/network/index.ts';
import { controlFetch } from './control-client.ts';

export interface ProxiedLinks {
  endpoints: EmulatorEndpoints;
  /** proxy names of the links to the technology's broker */
  broker: string[];
}

/** "host:port" of an http(s) or sb:// URL */
export function hostPort(url: string): string {
  const parsed = new URL(url.replace(/^sb:/, 'http:'));
  return `${parsed.hostname}:${parsed.port}`;
}

function withHostPort(url: string, listen: string): string {
  const parsed = new URL(url.replace(/^sb:/, 'http:'));
  return url.replace(`${parsed.hostname}:${parsed.port}`, listen);
}

async function createLink(control: FaultProxyControl, name: string, url: string): Promise<string> {
  const proxy = await control.createProxy({ name, upstream: hostPort(url), listen: '127.0.0.1:0' });
  // a proxy bound to all interfaces (Toxiproxy's "[::]:PORT" / "0.0.0.0:PORT") is reached on loopback
  if (/^(\[::\]|0\.0\.0\.0|\[::1\]):/.test(proxy.listen)) return withHostPort(url, `127.0.0.1:${proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1)}`);
  return withHostPort(url, proxy.listen);
}

/** the sb://host:port of a Service Bus / Event Hubs connection string */
export const sbEndpoint = (cs: string) => /Endpoint=(sb:\/\/[^;]+)/.exec(cs)?.[1] ?? '';

/**
 * Creates the proxies of `tech`'s broker links. `prefix` keeps the names of several runs on one
 * shared server (an existing Toxiproxy) apart.
 */
export async function proxyBrokerLinks(tech: Tech, endpoints: EmulatorEndpoints, control: FaultProxyControl, prefix = ''): Promise<ProxiedLinks> {
  const out: EmulatorEndpoints = structuredClone(endpoints);
  const link = (control: FaultProxyControl, name: string, url: string) => createLink(control, prefix + name, url);
  if (tech === 'storage-queue' && out.storage) {
    const queue = await link(control, 'broker-queue', out.storage.queueEndpoint);
    out.storage.connectionString = out.storage.connectionString.replace(`QueueEndpoint=${out.storage.queueEndpoint};`, `QueueEndpoint=${queue};`);
    out.storage.queueEndpoint = queue;
    return { endpoints: out, broker: [prefix + 'broker-queue'] };
  }
  if ((tech === 'service-bus' || tech === 'event-hubs') && (out.serviceBus ?? out.eventHubs)) {
    const broker = (tech === 'service-bus' ? out.serviceBus : out.eventHubs)!;
    const endpoint = sbEndpoint(broker.connectionString);
    broker.connectionString = broker.connectionString.replace(endpoint, await link(control, 'broker-amqp', endpoint));
    return { endpoints: out, broker: [prefix + 'broker-amqp'] };
  }
  if (tech === 'event-grid' && out.eventGrid) {
    const first = Object.values(out.eventGrid.topics)[0];
    if (!first) return { endpoints: out, broker: [] };
    const proxied = await link(control, 'broker-publish', first.endpoint);
    const listen = hostPort(proxied);
    for (const topic of Object.values(out.eventGrid.topics)) topic.endpoint = withHostPort(topic.endpoint, listen);
    const push = hostPort(await link(control, 'broker-push', out.eventGrid.controlUrl));
    const routed = await controlFetch(`${out.eventGrid.controlUrl}/push-route`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ via: push }), key: endpoints.controlKey });
    if (!routed.ok) throw new Error(`event-grid: could not route pushes through the fault proxy: HTTP ${routed.status} ${await routed.text()}`);
    return { endpoints: out, broker: [prefix + 'broker-publish', prefix + 'broker-push'] };
  }
  return { endpoints: out, broker: [] };
}
