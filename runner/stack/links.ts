/**
 * Puts the fault proxy between the music backend and its broker: one proxy per broker link,
 * and the endpoints handed to the backend rewritten to the proxies' listen addresses. Network
 * faults on "broker" then act on those links. Event Grid has two: the publish path, and the push
 * hop (its deliveries to the workers' webhooks), which the emulator sends through the proxy as
 * CONNECT tunnels relayed by its control port (fixtures/emulators/event-grid/push-route.ts).
 *
 * A broker on loopback (the emulators) gets its endpoint rewritten to the proxy's address. A
 * broker reached by name (a remote target: Azure, or any host that is not loopback) keeps its
 * host name everywhere, so TLS server names, SAS audiences and AMQP hostnames stay intact: the
 * proxy's port goes in the SDKs' customEndpointAddress (Service Bus, Event Hubs) or the URL's
 * port (Storage, Event Grid), and `hosts` maps the name to the proxy's address in the backend
 * processes only (MOSHPIT_HOSTS, fixtures/emulators/common/hosts.ts). The proxy relays TCP: TLS
 * passes through it end to end.
 */
import type { Tech } from '../techs.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { FaultProxyControl } from '../faults/network/index.ts';
import { controlFetch } from './control-client.ts';
import { isDevelopmentEmulator, isLoopbackHost } from '../target/connection.ts';

export interface ProxiedLinks {
  endpoints: EmulatorEndpoints;
  /** proxy names of the links to the technology's broker */
  broker: string[];
  /** host names the backend must resolve to the proxy (remote targets; see the header) */
  hosts: Record<string, string>;
}

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** "host:port" of an http(s) or sb:// URL; `defaultPort` when the URL has none (sb://: 5671 TLS, 5672 plain) */
export function hostPort(url: string, defaultPort?: number): string {
  const parsed = new URL(url.replace(/^sb:/, 'http:'));
  const port = parsed.port || String(defaultPort ?? DEFAULT_PORTS[url.slice(0, url.indexOf(':') + 1)] ?? '');
  return `${parsed.hostname}:${port}`;
}

/** the URL with its host and port replaced (`listen`: host:port) or, for `port` only, its port */
function withHostPort(url: string, listen: string): string {
  const parsed = new URL(url.replace(/^sb:/, 'http:'));
  const authority = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
  return url.replace(authority, listen);
}

const listenPort = (listen: string) => listen.slice(listen.lastIndexOf(':') + 1);

/** Creates one proxy to `upstream` (host:port); returns the local port it listens on. */
async function createProxy(control: FaultProxyControl, name: string, upstream: string): Promise<string> {
  const proxy = await control.createProxy({ name, upstream, listen: '127.0.0.1:0' });
  // a proxy bound to all interfaces (Toxiproxy's "[::]:PORT" / "0.0.0.0:PORT") is reached on loopback too
  return listenPort(proxy.listen);
}

interface Link {
  /** the URL the backend uses instead (loopback: the proxy's address; remote: the same host, the proxy's port) */
  url: string;
  /** the remote host to resolve to the proxy, if any */
  host?: string;
}

async function createLink(control: FaultProxyControl, name: string, url: string, defaultPort?: number): Promise<Link> {
  const upstream = hostPort(url, defaultPort);
  const host = upstream.slice(0, upstream.lastIndexOf(':'));
  const port = await createProxy(control, name, upstream);
  if (isLoopbackHost(host)) return { url: withHostPort(url, `127.0.0.1:${port}`) };
  return { url: withHostPort(url, `${host}:${port}`), host };
}

/** the sb://host:port of a Service Bus / Event Hubs connection string */
export const sbEndpoint = (cs: string) => /Endpoint=(sb:\/\/[^;]+)/.exec(cs)?.[1] ?? '';

/**
 * Creates the proxies of `tech`'s broker links. `prefix` keeps the names of several runs on one
 * shared server (an existing Toxiproxy) apart.
 */
export async function proxyBrokerLinks(tech: Tech, endpoints: EmulatorEndpoints, control: FaultProxyControl, prefix = ''): Promise<ProxiedLinks> {
  const out: EmulatorEndpoints = structuredClone(endpoints);
  const hosts: Record<string, string> = {};
  const link = async (name: string, url: string, defaultPort?: number) => {
    const made = await createLink(control, prefix + name, url, defaultPort);
    if (made.host) hosts[made.host] = '127.0.0.1';
    return made;
  };
  if (tech === 'storage-queue' && out.storage) {
    const queue = (await link('broker-queue', out.storage.queueEndpoint)).url;
    // Azure's connection strings often name no endpoints (AccountName + EndpointSuffix): add it
    const cs = out.storage.connectionString;
    out.storage.connectionString = /(^|;)QueueEndpoint=/i.test(cs) ? cs.replace(/((?:^|;)QueueEndpoint=)[^;]*/i, `$1${queue}`) : `${cs.replace(/;?$/, ';')}QueueEndpoint=${queue};`;
    out.storage.queueEndpoint = queue;
    return { endpoints: out, broker: [prefix + 'broker-queue'], hosts };
  }
  if ((tech === 'service-bus' || tech === 'event-hubs') && (out.serviceBus ?? out.eventHubs)) {
    const broker = (tech === 'service-bus' ? out.serviceBus : out.eventHubs)!;
    const endpoint = sbEndpoint(broker.connectionString);
    const made = await link('broker-amqp', endpoint, isDevelopmentEmulator(broker.connectionString) ? 5672 : 5671);
    if (made.host) broker.customEndpointAddress = made.url.replace(/\/$/, '');
    else broker.connectionString = broker.connectionString.replace(endpoint, made.url);
    return { endpoints: out, broker: [prefix + 'broker-amqp'], hosts };
  }
  if (tech === 'event-grid' && out.eventGrid) {
    // one proxy per topic host (the emulator serves every topic on one port; Azure's topics each have a host)
    const names: string[] = [];
    const byUpstream = new Map<string, Link>();
    for (const topic of Object.values(out.eventGrid.topics)) {
      const upstream = hostPort(topic.endpoint);
      let made = byUpstream.get(upstream);
      if (!made) {
        const name = names.length ? `broker-publish-${names.length + 1}` : 'broker-publish';
        byUpstream.set(upstream, (made = await link(name, topic.endpoint)));
        names.push(prefix + name);
      }
      topic.endpoint = withHostPort(topic.endpoint, hostPort(made.url));
    }
    if (!out.eventGrid.controlUrl) return { endpoints: out, broker: names, hosts }; // no emulator: its push hop is Azure's
    const push = hostPort((await link('broker-push', out.eventGrid.controlUrl)).url);
    const routed = await controlFetch(`${out.eventGrid.controlUrl}/push-route`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ via: push }), key: endpoints.controlKey });
    if (!routed.ok) throw new Error(`event-grid: could not route pushes through the fault proxy: HTTP ${routed.status} ${await routed.text()}`);
    return { endpoints: out, broker: [...names, prefix + 'broker-push'], hosts };
  }
  return { endpoints: out, broker: [], hosts };
}
