/**
 * Checks of a target run that need no connection, made before anything starts:
 *  - the safety guard: an endpoint that is not loopback is refused unless --allow-remote (one
 *    message naming the endpoint and the flag; nothing is contacted, no output directory made);
 *  - faults the target cannot have: broker faults (kill, throttle, disable ...) act on the
 *    embedded emulators (on Azure, Azure Chaos Studio injects them); network faults are fine on
 *    any target (runner/stack/links.ts keeps remote host names intact through the proxy);
 *  - with --allow-remote, the plan printed first: what is created, how many operations are
 *    sent, and an estimated cost (runner/pricing).
 */
import { UserError } from '../contracts/errors.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import { BROKER_FAULTS, isNetworkFault } from '../faults/spec.ts';
import { flowPlan } from '../load/plan.ts';
import { describeEstimate, estimateCost, type PlannedLoad } from '../pricing/estimate.ts';
import { hostOf, isLoopbackHost } from './connection.ts';
import { brokerTierOf, sectionsOf, type Target } from './resolve.ts';
import { plannedEntities, techPrefix } from './provision.ts';
import { isEmulatorName } from '../../fixtures/emulators/registry.ts';
import { profileOf } from '../../fixtures/technologies.ts';

const FIELD_SECTION = (field: string) => field.split(/[ .]/)[0]!;

/** Endpoints of the sections these technologies use whose host is not loopback. */
export function remoteUrls(target: Target, techs: readonly Tech[]): Array<{ field: string; url: string }> {
  const sections = new Set(techs.flatMap((t) => sectionsOf(t)));
  return target.urls.filter((u) => sections.has(FIELD_SECTION(u.field) as never) && !isLoopbackHost(hostOf(u.url) ?? ''));
}

export function checkRemote(target: Target, techs: readonly Tech[], allowRemote: boolean): void {
  const remote = remoteUrls(target, techs);
  if (!remote.length || allowRemote) return;
  const [first, ...rest] = remote;
  const more = rest.length ? ` (and ${rest.length} more: ${rest.map((r) => r.url).join(', ')})` : '';
  throw new UserError(`--target ${target.file}: ${first!.url} (${first!.field}) is not a loopback address${more}; a run creates entities there and sends it load, which costs money: add --allow-remote to confirm (the run then prints what it creates and an estimated cost before it starts)`);
}

const BROKER_PROCESS_TARGETS = (target: string) => target === 'broker' || target.startsWith('emulator-') || isEmulatorName(target);

/** Problems of this scenario on this target (faults it cannot have, flows it cannot carry). */
export function targetIssues(target: Target, scenario: Scenario, techs: readonly Tech[]): string[] {
  const issues: string[] = [];
  scenario.faults.forEach((entry, i) => {
    const type = entry.fault.type;
    if ((BROKER_FAULTS as readonly string[]).includes(type) || (!isNetworkFault(entry.fault) && BROKER_PROCESS_TARGETS(entry.target))) {
      issues.push(`faults.${i}: ${type} on ${entry.target} needs moshpit's embedded emulators (leave --target out); on Azure inject broker faults with Azure Chaos Studio (e.g. its Service Bus "Change Queue State" / "Change Topic State" faults, or Event Hubs "Change Event Hub State")`);
    }
  });
  for (const tech of techs) issues.push(...(profileOf(tech).target.issues?.(target) ?? []));
  return issues;
}

/** Operations the scenario plans and what the namespace is used for, for the estimate. */
export function plannedLoad(scenario: Scenario, tech: Tech): PlannedLoad {
  const count = (flow: 'uploads' | 'comments') => {
    let n = 0;
    for (const _ of flowPlan(scenario, flow)) n++;
    return n;
  };
  const uploads = count('uploads');
  const limitBytes = profileOf(tech).messageLimitBytes;
  const size = scenario.load.uploads?.sizeBytes;
  const overShare = size && size.max > limitBytes ? (size.max - Math.max(limitBytes, size.min)) / Math.max(1, size.max - size.min) : 0;
  const hours = (scenario.duration + scenario.drainLimit + 60_000) / 3_600_000;
  return { uploads, comments: count('comments'), subscribers: scenario.backend.subscribers, blobUploads: Math.ceil(uploads * overShare), hours };
}

/** The lines printed before a remote run starts. */
export function describeRemotePlan(target: Target, scenario: Scenario, techs: readonly Tech[], prefix: string): string[] {
  const subscribers = Array.from({ length: scenario.backend.subscribers }, (_, i) => `subscriber-${i + 1}`);
  const lines = [`remote target ${target.file} (--allow-remote): ${remoteUrls(target, techs).map((r) => r.url).join(', ')}`];
  for (const tech of techs) {
    const load = plannedLoad(scenario, tech);
    const estimate = estimateCost(tech, brokerTierOf(target, tech), load);
    lines.push(`${tech}: creates ${plannedEntities({ tech, target, prefix: techPrefix(prefix, tech), subscribers }).join('; ')}`);
    lines.push(`  sends ${load.uploads} uploads + ${load.comments} comments (${load.uploads} song-added events to ${load.subscribers} subscribers): about ${estimate.brokerOperations.toLocaleString('en-US')} broker operations`);
    lines.push(...describeEstimate(estimate));
  }
  return lines;
}
