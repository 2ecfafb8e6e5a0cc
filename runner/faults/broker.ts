/**
 * Broker faults through the emulators' control APIs (`POST /faults`, healed with
 * `DELETE /faults`). The body is the fault spec itself: the runner and the emulators validate
 * it with the same schemas (runner/contracts/control-api.ts).
 */
import type { Stack } from '../stack/stack.ts';
import type { FaultSpec } from './spec.ts';
import type { ActiveFault } from './active-fault.ts';
import { emulatorOwner } from '../../fixtures/technologies.ts';
import type { EmulatorName } from '../../fixtures/emulators/registry.ts';
import type { TechnologyProfile } from '../../fixtures/technology-profile.ts';
import { resolveTarget } from './target.ts';
import { controlFetch } from '../stack/control-client.ts';
import { FLOWS } from '../contracts/flows.ts';

/** The technology whose emulator a stack member is (emulator-<name>), if any. */
const ownerOf = (member: string): TechnologyProfile | undefined => (member.startsWith('emulator-') ? emulatorOwner(member.slice('emulator-'.length) as EmulatorName) : undefined);

function controlUrl(stack: Stack, member: string): string {
  const url = ownerOf(member)?.brokerControlUrl?.(stack.endpoints);
  if (!url) throw new Error(`broker faults need an emulator with a control API as target (got "${member}"; use "broker")`);
  return url;
}

/**
 * The control API body for a fault: the fault as the runner parsed it, which every emulator's
 * schema parses too (runner/contracts/control-api.ts). Only the value of `entity`
 * can differ, as the technology's profile says (brokerFaultEntity: storage queues are named with
 * the backend's prefix, mp-uploads).
 */
export function controlBody(spec: FaultSpec, member: string): Record<string, unknown> {
  const body: Record<string, unknown> = { ...spec };
  const entityOf = ownerOf(member)?.brokerFaultEntity;
  if (typeof body.entity === 'string' && entityOf) body.entity = entityOf(body.entity);
  return body;
}

async function call(url: string, key: string | undefined, method: 'POST' | 'DELETE', body?: unknown): Promise<void> {
  const response = await controlFetch(`${url}/faults`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
    key,
  });
  if (!response.ok) throw new Error(`${method} ${url}/faults answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

/** The control API bodies for a fault: a throttle without an entity, where the control API wants one (throttlePerEntity), applies to every flow's entity. */
export function controlBodies(spec: FaultSpec, member: string): Array<Record<string, unknown>> {
  const perEntity = spec.type === 'throttle' && spec.entity === undefined && ownerOf(member)?.throttlePerEntity === true;
  if (!perEntity) return [controlBody(spec, member)];
  return FLOWS.map((entity) => controlBody({ ...spec, entity }, member));
}

export async function startBrokerFault(spec: FaultSpec, target: string, stack: Stack): Promise<ActiveFault> {
  const member = resolveTarget(target, stack);
  const url = controlUrl(stack, member);
  const key = stack.endpoints.controlKey;
  for (const body of controlBodies(spec, member)) await call(url, key, 'POST', body);
  return { heal: () => call(url, key, 'DELETE') };
}
