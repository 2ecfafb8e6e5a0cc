/** Process faults: kill -9 (optionally started again on heal), SIGSTOP/SIGCONT, graceful restart. */
import type { Stack } from '../stack/stack.ts';
import type { FaultSpec } from './spec.ts';
import type { ActiveFault } from './registry.ts';
import { resolveTarget } from './target.ts';

export async function startProcessFault(spec: FaultSpec, target: string, stack: Stack): Promise<ActiveFault> {
  const name = resolveTarget(target, stack);
  const member = () => stack.members.get(name)!;
  let healed = false;
  const once = (heal: () => Promise<void>): ActiveFault => ({
    async heal() {
      if (healed) return;
      healed = true;
      await heal();
    },
  });
  switch (spec.type) {
    case 'kill':
      member().signal('SIGKILL');
      await member().exited;
      return once(() => stack.restart(name));
    case 'pause':
      member().signal('SIGSTOP');
      return once(async () => member().signal('SIGCONT'));
    case 'restart':
      await member().stop(10_000);
      return once(() => stack.restart(name));
    default:
      throw new Error(`not a process fault: ${spec.type}`);
  }
}
