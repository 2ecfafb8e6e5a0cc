/** Resolves a scenario's fault target to a member of the running stack. */
import type { Stack } from '../stack/stack.ts';
import { profileOf } from '../../fixtures/technologies.ts';

/** "broker" names the technology's own emulator; other names are stack members as they are. */
export function resolveTarget(target: string, stack: Stack): string {
  // the technology's broker is the last emulator its stack starts (storage comes first for blobs)
  const name = target === 'broker' ? `emulator-${profileOf(stack.tech).emulators.at(-1)!}` : stack.members.has(`emulator-${target}`) ? `emulator-${target}` : target;
  if (!stack.members.has(name)) throw new Error(`fault target "${target}" is not part of this run; targets: broker, ${[...stack.members.keys()].join(', ')}`);
  return name;
}
