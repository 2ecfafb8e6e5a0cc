/**
 * `run --target FILE` before anything starts: load and validate the target file (every problem
 * at once), the safety guard (no remote endpoint without --allow-remote), the faults and flows
 * this target cannot have; then the run's prefix, and per technology the stack's target.
 * Connects nowhere and creates nothing (the output directory included).
 */
import { randomBytes } from 'node:crypto';
import { UserError } from '../contracts/errors.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import type { StackTarget } from '../stack/target.ts';
import { loadTarget, type Target } from './resolve.ts';
import { checkRemote, describeRemotePlan, remoteUrls, targetIssues } from './preflight.ts';
import { plannedEntities, techPrefix } from './provision.ts';

export interface PreparedTarget {
  target: Target;
  /** mp-<6 hex>: every entity of this run starts with it (then a per-technology tag) */
  runPrefix: string;
  /** any endpoint the run uses is not loopback (allowed by --allow-remote) */
  remote: boolean;
  keep: boolean;
  forTech(tech: Tech): StackTarget;
}

export function newRunPrefix(): string {
  return `mp-${randomBytes(3).toString('hex')}`;
}

export function prepareTarget(path: string, scenario: Scenario, techs: readonly Tech[], flags: { allowRemote?: boolean; keep?: boolean }): PreparedTarget {
  const target = loadTarget(path, techs);
  checkRemote(target, techs, flags.allowRemote === true);
  const issues = targetIssues(target, scenario, techs);
  if (issues.length) throw new UserError(`--target ${path}: scenario ${scenario.name} cannot run on this target (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${issues.map((i) => `  - ${i}`).join('\n')}`);
  const runPrefix = newRunPrefix();
  const keep = flags.keep === true;
  return {
    target, runPrefix, keep,
    remote: remoteUrls(target, techs).length > 0,
    forTech: (tech) => ({ target, prefix: techPrefix(runPrefix, tech), keep }),
  };
}

/** What the run prints about its target before it starts: with a remote target, the plan and the estimated cost. */
export function targetPlanLines(prepared: PreparedTarget, scenario: Scenario, techs: readonly Tech[]): string[] {
  const { target, runPrefix } = prepared;
  const keep = prepared.keep ? 'kept after the run (--keep)' : 'deleted after the run (--keep to leave them)';
  if (prepared.remote) return [...describeRemotePlan(target, scenario, techs, runPrefix), `entities ${runPrefix}-*: ${keep}`];
  const subscribers = Array.from({ length: scenario.backend.subscribers }, (_, i) => `subscriber-${i + 1}`);
  const kinds = [...new Set(Object.values(target.kinds))].join(', ');
  return [
    `  target: ${target.file} (external ${kinds} on loopback; no embedded emulators); entities ${runPrefix}-*, ${keep}`,
    ...techs.map((tech) => `    ${tech}: ${plannedEntities({ tech, target, prefix: techPrefix(runPrefix, tech), subscribers }).join('; ')}`),
  ];
}
