/**
 * The fault proxy of a run whose scenario has network faults: moshpit's own proxy as a child
 * process of the stack, or an existing Toxiproxy server (`run --toxiproxy URL`). Either way the
 * broker links go through it and the backend gets the proxied endpoints. Proxies created on an
 * external server carry a per-run prefix and are deleted when the stack closes.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Tech } from '../techs.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import { FaultProxyClient, type FaultProxyControl } from '../faults/network/index.ts';
import { spawnChild, type RunningChild } from './children.ts';
import { proxyBrokerLinks } from './links.ts';

export interface StackNetwork {
  control: FaultProxyControl;
  /** proxy names of the links to the broker */
  broker: string[];
  /** true for an existing Toxiproxy server: only Toxiproxy's own toxics and proxy fields apply */
  external: boolean;
}

export interface WiredNetwork {
  network: StackNetwork;
  /** the endpoints the backend uses (through the proxies) */
  endpoints: EmulatorEndpoints;
  /** remote host names the backend resolves to the proxies (MOSHPIT_HOSTS; see links.ts) */
  hosts: Record<string, string>;
  /** deletes what was created on an external server (nothing to do for the proxy child) */
  release(): Promise<void>;
}

export async function wireNetwork(options: {
  tech: Tech;
  endpoints: EmulatorEndpoints;
  dir: string;
  bin: string;
  toxiproxyUrl?: string;
  start: (name: string, spawn: () => Promise<RunningChild>) => Promise<RunningChild>;
}): Promise<WiredNetwork> {
  if (options.toxiproxyUrl) {
    const control = new FaultProxyClient(options.toxiproxyUrl);
    const prefix = `moshpit-${randomBytes(3).toString('hex')}-${options.tech}-`;
    const release = async () => {
      const all = await control.listProxies().catch(() => ({}));
      for (const name of Object.keys(all).filter((n) => n.startsWith(prefix))) await control.deleteProxy(name).catch(() => undefined);
    };
    try {
      const links = await proxyBrokerLinks(options.tech, options.endpoints, control, prefix);
      return { network: { control, broker: links.broker, external: true }, endpoints: links.endpoints, hosts: links.hosts, release };
    } catch (error) {
      await release();
      throw error;
    }
  }
  const proxy = (await options.start('fault-proxy', () =>
    spawnChild<{ apiUrl: string }>({ name: 'fault-proxy', command: process.execPath, args: [options.bin, 'proxy', '--api', '127.0.0.1:0'], logFile: join(options.dir, 'logs', 'fault-proxy.log') }),
  )) as RunningChild<{ apiUrl: string }>;
  const control = new FaultProxyClient(proxy.ready.apiUrl);
  const links = await proxyBrokerLinks(options.tech, options.endpoints, control);
  return { network: { control, broker: links.broker, external: false }, endpoints: links.endpoints, hosts: links.hosts, release: async () => undefined };
}
