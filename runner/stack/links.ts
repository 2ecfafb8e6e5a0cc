/**
 * Puts the fault proxy between the music backend and its broker: one proxy per broker link,
 * and the endpoints handed to the backend rewritten to the proxies' listen addresses. Network
 * faults on "broker" then act on those links. Which links a technology has, and how its
 * endpoints are rewritten, its profile says (fixtures/<tech>/profile.ts, brokerLinks).
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
import { profileOf } from '../../fixtures/technologies.ts';
import { hostPort, sbEndpoint, withHostPort } from '../../fixtures/profile-helpers.ts';
import { isLoopbackHost } from '../target/connection.ts';

export { hostPort, sbEndpoint };

export interface ProxiedLinks {
  endpoints: EmulatorEndpoints;
  /** proxy names of the links to the technology's broker */
  broker: string[];
  /** host names the backend must resolve to the proxy (remote targets; see the header) */
  hosts: Record<string, string>;
}

const listenPort = (listen: string) => listen.slice(listen.lastIndexOf(':') + 1);

/** One proxy to the URL's host:port; answers the URL the backend uses instead, and the host to map if it is remote. */
async function createLink(control: FaultProxyControl, name: string, url: string, defaultPort?: number): Promise<{ url: string; host?: string }> {
  const upstream = hostPort(url, defaultPort);
  const host = upstream.slice(0, upstream.lastIndexOf(':'));
  // a proxy bound to all interfaces (Toxiproxy's "[::]:PORT" / "0.0.0.0:PORT") is reached on loopback too
  const port = listenPort((await control.createProxy({ name, upstream, listen: '127.0.0.1:0' })).listen);
  if (isLoopbackHost(host)) return { url: withHostPort(url, `127.0.0.1:${port}`) };
  return { url: withHostPort(url, `${host}:${port}`), host };
}

/**
 * Creates the proxies of `tech`'s broker links. `prefix` keeps the names of several runs on one
 * shared server (an existing Toxiproxy) apart.
 */
export async function proxyBrokerLinks(tech: Tech, endpoints: EmulatorEndpoints, control: FaultProxyControl, prefix = ''): Promise<ProxiedLinks> {
  const out: EmulatorEndpoints = structuredClone(endpoints);
  const hosts: Record<string, string> = {};
  const links = profileOf(tech).brokerLinks;
  if (!links) return { endpoints: out, broker: [], hosts };
  const link = async (name: string, url: string, defaultPort?: number) => {
    const made = await createLink(control, prefix + name, url, defaultPort);
    if (made.host) hosts[made.host] = '127.0.0.1';
    return made.url;
  };
  const broker = await links({ endpoints: out, link, named: (name) => prefix + name });
  return { endpoints: out, broker, hosts };
}
