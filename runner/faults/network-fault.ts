/**
 * Network faults of a scenario, applied as toxics on the fault proxy's links to the broker
 * (see runner/stack/links.ts). Scenario names carry units (latencyMs, rateKBps, delayUs);
 * Toxiproxy's attribute names are used on the wire. Healing removes the toxics at once.
 */
import type { Stack } from '../stack/stack.ts';
import type { ToxicSpec } from './network/index.ts';
import type { FaultSpec } from './spec.ts';
import type { ActiveFault } from './registry.ts';

type Streams = Array<'upstream' | 'downstream'>;

/** Toxiproxy attributes for a scenario's network fault. */
export function toxicAttributes(spec: FaultSpec): Record<string, number> {
  const s = spec as Record<string, unknown>;
  const n = (key: string) => Number(s[key] ?? 0);
  switch (spec.type) {
    case 'latency': return { latency: n('latencyMs'), jitter: n('jitterMs') };
    case 'bandwidth': return { rate: n('rateKBps') };
    case 'slow_close': return { delay: n('delayMs') };
    case 'timeout': return { timeout: n('timeoutMs') };
    case 'reset_peer': return { timeout: n('timeoutMs') };
    case 'slicer': return { average_size: n('averageSizeBytes'), size_variation: n('sizeVariationBytes'), delay: n('delayUs') };
    case 'limit_data': return { bytes: n('bytes') };
    default: return {};
  }
}

/**
 * Toxiproxy has no `down` and `partition` toxics (moshpit's proxy adds them). On an existing
 * Toxiproxy server, `down` disables the proxies (Toxiproxy closes the listener and every
 * connection) and `partition` is a `timeout` toxic with timeout 0 both ways: Toxiproxy drops the
 * data while it is active instead of holding it, so the connection usually breaks at the heal.
 */
async function startOnToxiproxy(spec: FaultSpec, network: NonNullable<Stack['network']>): Promise<ActiveFault | undefined> {
  if (spec.type === 'down') {
    for (const proxy of network.broker) await network.control.updateProxy(proxy, { enabled: false });
    return {
      async heal() {
        for (const proxy of network.broker) await network.control.updateProxy(proxy, { enabled: true });
      },
    };
  }
  if (spec.type === 'partition') return addToxics(network, ['upstream', 'downstream'], (stream) => ({ type: 'timeout', name: `partition_${stream}`, stream, toxicity: 1, attributes: { timeout: 0 } }));
  return undefined;
}

async function addToxics(network: NonNullable<Stack['network']>, streams: Streams, toxicFor: (stream: 'upstream' | 'downstream') => ToxicSpec): Promise<ActiveFault> {
  const added: Array<{ proxy: string; name: string }> = [];
  try {
    for (const proxy of network.broker) {
      for (const stream of streams) {
        const toxic = toxicFor(stream);
        await network.control.addToxic(proxy, toxic);
        added.push({ proxy, name: toxic.name! });
      }
    }
  } catch (error) {
    for (const t of added) await network.control.removeToxic(t.proxy, t.name).catch(() => undefined);
    throw error;
  }
  return {
    async heal() {
      for (const t of added) await network.control.removeToxic(t.proxy, t.name);
    },
  };
}

export async function startNetworkFault(spec: FaultSpec, target: string, stack: Stack): Promise<ActiveFault> {
  if (target !== 'broker') throw new Error(`network faults act on the links to the broker: use target "broker" (got "${target}")`);
  const network = stack.network;
  if (!network || network.broker.length === 0) throw new Error('this run has no fault proxy on its broker links');
  if (network.external) {
    const native = await startOnToxiproxy(spec, network);
    if (native) return native;
  }
  const s = spec as Record<string, unknown>;
  const whole = spec.type === 'down' || spec.type === 'partition';
  const streams: Streams = whole ? ['downstream'] : s.stream === 'both' || s.stream === undefined ? ['upstream', 'downstream'] : [s.stream as 'upstream' | 'downstream'];
  return addToxics(network, streams, (stream) => ({ type: spec.type as ToxicSpec['type'], name: `${spec.type}_${stream}`, stream, toxicity: whole ? 1 : Number(s.toxicity ?? 1), attributes: toxicAttributes(spec) }));
}
