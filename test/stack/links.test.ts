/**
 * The broker links behind the fault proxy (pure: a fake proxy control that records what it is
 * asked to create). Loopback brokers are renamed to the proxy's address; a broker reached by
 * name keeps its host name (TLS, SAS, AMQP hostname) and gets the proxy's port through
 * customEndpointAddress or the URL, with the name resolved to the proxy in the backend only.
 */
import dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { proxyBrokerLinks } from '../../runner/stack/links.ts';
import type { FaultProxyControl } from '../../runner/faults/network/index.ts';
import { installHosts, parseHosts } from '../../fixtures/emulators/common/hosts.ts';

function fakeControl() {
  const upstreams: string[] = [];
  let port = 40000;
  const control = { createProxy: async (spec: { name: string; upstream: string }) => (upstreams.push(`${spec.name} -> ${spec.upstream}`), { listen: `127.0.0.1:${++port}` }) };
  return { control: control as unknown as FaultProxyControl, upstreams };
}

const AZURE_SB = 'Endpoint=sb://my-ns.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey=abc=';

describe('broker links through the fault proxy', () => {
  it('a remote Service Bus keeps its host: customEndpointAddress to the proxy port, 5671 upstream, name mapped for the backend', async () => {
    const { control, upstreams } = fakeControl();
    const links = await proxyBrokerLinks('service-bus', { serviceBus: { connectionString: AZURE_SB, controlUrl: '' } }, control);
    expect(upstreams).toEqual(['broker-amqp -> my-ns.servicebus.windows.net:5671']);
    expect(links.endpoints.serviceBus!.connectionString).toBe(AZURE_SB);
    expect(links.endpoints.serviceBus!.customEndpointAddress).toBe('sb://my-ns.servicebus.windows.net:40001');
    expect(links.hosts).toEqual({ 'my-ns.servicebus.windows.net': '127.0.0.1' });
    expect(links.broker).toEqual(['broker-amqp']);
  });

  it("Microsoft's emulator on localhost without a port: 5672 upstream, renamed to the proxy (no hosts)", async () => {
    const { control, upstreams } = fakeControl();
    const cs = 'Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;';
    const links = await proxyBrokerLinks('event-hubs', { eventHubs: { connectionString: cs, controlUrl: '' } }, control);
    expect(upstreams).toEqual(['broker-amqp -> localhost:5672']);
    expect(links.endpoints.eventHubs!.connectionString).toContain('Endpoint=sb://127.0.0.1:40001;');
    expect(links.endpoints.eventHubs!.customEndpointAddress).toBeUndefined();
    expect(links.hosts).toEqual({});
  });

  it('a remote storage account without QueueEndpoint in its connection string: 443 upstream, QueueEndpoint added with the proxy port', async () => {
    const { control, upstreams } = fakeControl();
    const cs = 'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net';
    const storage = { connectionString: cs, queueEndpoint: 'https://acct.queue.core.windows.net', blobEndpoint: 'https://acct.blob.core.windows.net' };
    const links = await proxyBrokerLinks('storage-queue', { storage }, control);
    expect(upstreams).toEqual(['broker-queue -> acct.queue.core.windows.net:443']);
    expect(links.endpoints.storage!.queueEndpoint).toBe('https://acct.queue.core.windows.net:40001');
    expect(links.endpoints.storage!.connectionString).toBe(`${cs};QueueEndpoint=https://acct.queue.core.windows.net:40001;`);
    expect(links.hosts).toEqual({ 'acct.queue.core.windows.net': '127.0.0.1' });
  });

  it('remote Event Grid topics: one proxy per topic host, no push hop without an emulator', async () => {
    const { control, upstreams } = fakeControl();
    const topic = (name: string) => ({ endpoint: `https://${name}.westeurope-1.eventgrid.azure.net/api/events`, key: 'k' });
    const links = await proxyBrokerLinks('event-grid', { eventGrid: { topics: { uploads: topic('up'), comments: topic('co') }, controlUrl: '' } }, control);
    expect(upstreams).toEqual(['broker-publish -> up.westeurope-1.eventgrid.azure.net:443', 'broker-publish-2 -> co.westeurope-1.eventgrid.azure.net:443']);
    expect(links.endpoints.eventGrid!.topics.comments!.endpoint).toBe('https://co.westeurope-1.eventgrid.azure.net:40002/api/events');
    expect(links.broker).toEqual(['broker-publish', 'broker-publish-2']);
  });
});

describe('MOSHPIT_HOSTS', () => {
  it('resolves the names it maps, and refuses an entry that is not name=address', async () => {
    installHosts(parseHosts('moshpit-links-test.example=127.0.0.7'));
    expect(await dns.promises.lookup('moshpit-links-test.example')).toEqual({ address: '127.0.0.7', family: 4 });
    const viaCallback = await new Promise((resolve) => dns.lookup('MOSHPIT-links-test.example', { all: true }, (_e, a) => resolve(a)));
    expect(viaCallback).toEqual([{ address: '127.0.0.7', family: 4 }]);
    expect(() => parseHosts('my-ns.servicebus.windows.net')).toThrow(/MOSHPIT_HOSTS: "my-ns.servicebus.windows.net" is not name=address/);
    expect(() => parseHosts('a=not-an-ip')).toThrow(/not name=address/);
  });
});
