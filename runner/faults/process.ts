/** Process faults: kill -9 (optionally started again on heal), SIGSTOP/SIGCONT, graceful restart. */
import type { Stack } from '../stack/stack.ts';
import type { FaultSpec } from './spec.ts';
import type { ActiveFault } from './active-fault.ts';
import { resolveTarget } from './target.ts';

export async function startProcessFault(spec: FaultSpec, target: string, stack: Stack): Promise<ActiveFault> {
  const name = resolveTarget(target, stack);
  const member = () => stack.members.get(name)!;
  switch (spec.type) {
    case 'kill':
      member().signal('SIGKILL');
      await member().exited;
      return { heal: () => stack.restart(name) };
    case 'stop':
    case 'pause':
      member().signal('SIGSTOP');
      return { heal: async () => member().signal('SIGCONT') };
    case 'restart':
      await member().stop(10_000);
      return { heal: () => stack.restart(name) };
    default:
      throw new Error(`not a process fault: ${spec.type}`);
  }
}
