/**
 * Network faults of a scenario, applied as toxics on the fault proxy's links to the broker
 * (see runner/stack/links.ts). Scenario names carry units (latencyMs, rateKBps, delayUs);
 * Toxiproxy's attribute names are used on the wire; each toxic's file in network/toxics/ maps
 * one onto the other. Healing removes the toxics at once.
 */
import type { Stack } from '../stack/stack.ts';
import type { ToxicSpec } from './network/index.ts';
import { toxicDefinition, type ToxicType } from './network/toxics/index.ts';
import type { ToxicStream, ToxiproxyFallback } from './network/toxics/toxic.ts';
import type { FaultSpec } from './spec.ts';
import type { ActiveFault } from './active-fault.ts';

type Network = NonNullable<Stack['network']>;

/** Toxiproxy attributes for a scenario's network fault. */
export function toxicAttributes(spec: FaultSpec): Record<string, number> {
  return toxicDefinition(spec.type).toAttributes(spec);
}

/** A toxic moshpit's proxy has and Toxiproxy has not (`down`, `partition`), on an existing Toxiproxy server. */
async function startOnToxiproxy(spec: FaultSpec, fallback: ToxiproxyFallback, network: Network): Promise<ActiveFault> {
  if ('disableProxies' in fallback) {
    for (const proxy of network.broker) await network.control.updateProxy(proxy, { enabled: false });
    return {
      async heal() {
        for (const proxy of network.broker) await network.control.updateProxy(proxy, { enabled: true });
      },
    };
  }
  const { type, attributes } = fallback.substitute;
  return addToxics(network, fallback.streams, (stream) => ({ type: type as ToxicType, name: `${spec.type}_${stream}`, stream, toxicity: 1, attributes }));
}

async function addToxics(network: Network, streams: ToxicStream[], toxicFor: (stream: ToxicStream) => ToxicSpec): Promise<ActiveFault> {
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
  const toxic = toxicDefinition(spec.type);
  if (network.external && toxic.onToxiproxy) return startOnToxiproxy(spec, toxic.onToxiproxy, network);
  const s = spec as Record<string, unknown>;
  const whole = toxic.scope === 'whole';
  const streams: ToxicStream[] = whole ? ['downstream'] : s.stream === 'both' || s.stream === undefined ? ['upstream', 'downstream'] : [s.stream as ToxicStream];
  return addToxics(network, streams, (stream) => ({ type: spec.type as ToxicType, name: `${spec.type}_${stream}`, stream, toxicity: whole ? 1 : Number(s.toxicity ?? 1), attributes: toxicAttributes(spec) }));
}
