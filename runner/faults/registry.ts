/**
 * Fault types by name, each a small start/heal pair acting on the running stack. Explicit:
 * adding a fault type is one entry here. Process faults act on a stack member (signals,
 * restarts); broker faults go through the emulator's control API; network faults are the toxics
 * of network/toxics/ on the fault proxy.
 */
import type { Stack } from '../stack/stack.ts';
import type { FaultSpec } from './spec.ts';
import type { ActiveFault, FaultStarter } from './active-fault.ts';
import { TOXIC_TYPES, type ToxicType } from './network/toxics/index.ts';
import { startBrokerFault } from './broker.ts';
import { startProcessFault } from './process.ts';
import { startNetworkFault } from './network-fault.ts';
import { startConsumerFault } from './consumer.ts';

// kept for broker.ts, which imports them from here (the broker-faults lane moves it to ./active-fault.ts)

/** Every network fault is a toxic on the fault proxy (network/toxics/ lists them). */
const NETWORK: Record<ToxicType, FaultStarter> = Object.fromEntries(TOXIC_TYPES.map((type) => [type, startNetworkFault])) as Record<ToxicType, FaultStarter>;

const FAULTS: Record<FaultSpec['type'], FaultStarter> = {
  kill: startProcessFault,
  stop: startProcessFault,
  pause: startProcessFault,
  restart: startProcessFault,
  'consumer-error': startConsumerFault,
  'consumer-slow': startConsumerFault,
  throttle: startBrokerFault,
  disable: startBrokerFault,
  'drop-connections': startBrokerFault,
  'partition-offline': startBrokerFault,
  'pause-delivery': startBrokerFault,
  ...NETWORK,
};

export function startFault(spec: FaultSpec, target: string, stack: Stack): Promise<ActiveFault> {
  return FAULTS[spec.type](spec, target, stack);
}
