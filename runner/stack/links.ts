/**
 * Puts the fault proxy between the music backend and its broker: one proxy per broker link,
 * and the endpoints handed to the backend rewritten to the proxies' listen addresses. Network
 * faults on "broker" then act on those links. Which links a technology has, and how its
 * endpoints are rewritten, its profile says (fixtures/<tech>/profile.ts, brokerLinks).
 */
import type { Tech } from '../techs.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { FaultProxyControl } from '../faults/network/index.ts';
import { profileOf } from '../../fixtures/technologies.ts';
import { hostPort, sbEndpoint, withHostPort } from '../../fixtures/profile-helpers.ts';

export { hostPort, sbEndpoint };

export interface ProxiedLinks {
  endpoints: EmulatorEndpoints;
  /** proxy names of the links to the technology's broker */
  broker: string[];
}

async function createLink(control: FaultProxyControl, name: string, url: string): Promise<string> {
  const proxy = await control.createProxy({ name, upstream: hostPort(url), listen: '127.0.0.1:0' });
  // a proxy bound to all interfaces (Toxiproxy's "[::]:PORT" / "0.0.0.0:PORT") is reached on loopback
  if (/^(\[::\]|0\.0\.0\.0|\[::1\]):/.test(proxy.listen)) return withHostPort(url, `127.0.0.1:${proxy.listen.slice(proxy.listen.lastIndexOf(':') + 1)}`);
  return withHostPort(url, proxy.listen);
}

/**
 * Creates the proxies of `tech`'s broker links. `prefix` keeps the names of several runs on one
 * shared server (an existing Toxiproxy) apart.
 */
export async function proxyBrokerLinks(tech: Tech, endpoints: EmulatorEndpoints, control: FaultProxyControl, prefix = ''): Promise<ProxiedLinks> {
  const out: EmulatorEndpoints = structuredClone(endpoints);
  const links = profileOf(tech).brokerLinks;
  if (!links) return { endpoints: out, broker: [] };
  const broker = await links({ endpoints: out, link: (name, url) => createLink(control, prefix + name, url), named: (name) => prefix + name });
  return { endpoints: out, broker };
}
