/**
 * Fault types by name, each a small start/heal pair acting on the running stack. Explicit:
 * adding a fault type is one entry here. Process faults act on a stack member (signals,
 * restarts); broker faults go through the emulator's control API.
 */
import type { Stack } from '../stack/stack.ts';
import type { FaultSpec } from './spec.ts';
import { startBrokerFault } from './broker.ts';
import { startProcessFault } from './process.ts';
import { startNetworkFault } from './network-fault.ts';
import { startConsumerFault } from './consumer.ts';

/** A fault that is in effect; `heal` undoes it. The scheduler heals each fault at most once. */
export interface ActiveFault {
  heal(): Promise<void>;
}

export type FaultStarter = (spec: FaultSpec, target: string, stack: Stack) => Promise<ActiveFault>;

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
  latency: startNetworkFault,
  bandwidth: startNetworkFault,
  slow_close: startNetworkFault,
  timeout: startNetworkFault,
  reset_peer: startNetworkFault,
  slicer: startNetworkFault,
  limit_data: startNetworkFault,
  down: startNetworkFault,
  partition: startNetworkFault,
};

export function startFault(spec: FaultSpec, target: string, stack: Stack): Promise<ActiveFault> {
  return FAULTS[spec.type](spec, target, stack);
}
