/** Resolves a scenario's fault target to a member of the running stack. */
import type { Stack } from '../stack/stack.ts';

/** "broker" names the technology's own emulator; other names are stack members as they are. */
export function resolveTarget(target: string, stack: Stack): string {
  const brokerOf: Record<string, string> = { 'storage-queue': 'emulator-storage', 'service-bus': 'emulator-service-bus', 'event-hubs': 'emulator-event-hubs', 'event-grid': 'emulator-event-grid' };
  const name = target === 'broker' ? brokerOf[stack.tech]! : stack.members.has(`emulator-${target}`) ? `emulator-${target}` : target;
  if (!stack.members.has(name)) throw new Error(`fault target "${target}" is not part of this run; targets: broker, ${[...stack.members.keys()].join(', ')}`);
  return name;
}
