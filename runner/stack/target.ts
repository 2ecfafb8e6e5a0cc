/**
 * The broker side of a stack on a target (run --target): no emulators are started; the
 * technology's entities are provisioned under the run's prefix before the backend starts and
 * deleted when the stack closes (unless --keep). See runner/target/.
 */
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import type { Target } from '../target/resolve.ts';
import { provisionTarget } from '../target/provision.ts';

export interface StackTarget {
  target: Target;
  /** this technology's entity prefix (techPrefix of the run prefix) */
  prefix: string;
  /** --keep: leave the entities in place after the run */
  keep: boolean;
}

export async function startTarget(
  options: { tech: Tech; scenario: Scenario; target?: StackTarget },
  subscribers: string[],
  log: (line: string) => void,
): Promise<{ endpoints: EmulatorEndpoints; release(): Promise<void> }> {
  const { target, prefix, keep } = options.target!;
  log(`target ${target.file}: provisioning ${options.tech} entities under the prefix ${prefix}`);
  const provisioned = await provisionTarget({ tech: options.tech, target, prefix, subscribers, scenario: options.scenario });
  for (const line of provisioned.created) log(`  ${line}`);
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    if (keep) return log(`--keep: entities ${prefix}-* left in place`);
    const problems = await provisioned.cleanup();
    log(problems.length ? `cleanup: ${problems.join('; ')}` : `cleanup: deleted the ${prefix}-* entities`);
  };
  return { endpoints: provisioned.endpoints, release };
}
