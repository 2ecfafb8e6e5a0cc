/**
 * Checks a scenario's faults against the stack it will run on, before anything starts, so a
 * mistyped target or a fault that can never fire is reported with the rest of the scenario's
 * problems (exit 2) instead of becoming a note after a run that proved nothing.
 *
 * The stack's members are derived from the scenario the same way runner/stack/stack.ts starts
 * them (emulators per technology, then api, workers, subscribers).
 */
import type { Tech } from '../techs.ts';
import { profileOf } from '../../fixtures/technologies.ts';

import { formatDurationMs } from '../contracts/duration.ts';
import { BROKER_FAULTS, isNetworkFault } from './spec.ts';

export interface FaultIssue {
  path: Array<string | number>;
  message: string;
}

/** The parts of a (possibly partly invalid) scenario the checks read; anything may be missing. */
interface ScenarioParts {
  duration?: unknown;
  drainLimit?: unknown;
  load?: { comments?: unknown };
  backend?: { workers?: { uploads?: unknown; comments?: unknown }; subscribers?: unknown };
  faults?: unknown;
}

interface FaultParts {
  at?: unknown;
  for?: unknown;
  target?: unknown;
  fault?: { type?: unknown };
}

const count = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback);
const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}`);

/** The backend processes a scenario starts, by the names faults target (as stack.ts names them; no workers without a broker). */
export function backendMembers(scenario: ScenarioParts, tech?: Tech): string[] {
  const workers = scenario.backend?.workers ?? {};
  const hasComments = Boolean(scenario.load?.comments);
  const hasWorkers = tech === undefined || profileOf(tech).hasBroker;
  return [
    'api',
    ...(hasWorkers ? range('worker-uploads', count(workers.uploads, 2)) : []),
    ...(hasWorkers && hasComments ? range('worker-comments', count(workers.comments, 1)) : []),
    ...range('subscriber', count(scenario.backend?.subscribers, 2)),
  ];
}

/** Every member of one technology's stack, "broker" first (the name for that technology's emulator). */
export function stackMembers(scenario: ScenarioParts, tech: Tech): string[] {
  const faults = Array.isArray(scenario.faults) ? (scenario.faults as FaultParts[]) : [];
  const proxy = faults.some((f) => typeof f?.fault?.type === 'string' && isNetworkFault({ type: f.fault.type })) ? ['fault-proxy'] : [];
  const emulators = profileOf(tech).emulators;
  const broker = emulators.length ? ['broker'] : [];
  return [...broker, ...emulators.map((name) => `emulator-${name}`), ...proxy, ...backendMembers(scenario, tech)];
}

/**
 * The technologies whose stack has every fault target of the scenario: a scenario that names
 * no technologies runs on these (a broker outage cannot run on `direct`, which has no broker),
 * all of them when none fits (the targets are then reported as unknown).
 */
export function techsWithTargets(scenario: ScenarioParts, techs: readonly Tech[]): Tech[] {
  const targets = Array.isArray(scenario.faults) ? (scenario.faults as FaultParts[]).map((f) => f?.target).filter((t): t is string => typeof t === 'string' && t !== '') : [];
  const fit = techs.filter((tech) => {
    const members = stackMembers(scenario, tech);
    return targets.every((target) => members.includes(canonical(target, members)));
  });
  return fit.length ? fit : [...techs];
}

/** The members of every given technology's stack: "broker", the emulators, then the backend. */
function unionMembers(scenario: ScenarioParts, techs: readonly Tech[]): string[] {
  const all = techs.flatMap((tech) => stackMembers(scenario, tech));
  const backend = new Set(backendMembers(scenario));
  return [...new Set([...all.filter((m) => !backend.has(m)), ...backendMembers(scenario)])];
}

/** A target as the stack knows it: "storage" is accepted for "emulator-storage". */
function canonical(target: string, members: string[]): string {
  return !members.includes(target) && members.includes(`emulator-${target}`) ? `emulator-${target}` : target;
}

function targetProblem(type: string, target: string, hasFor: boolean): string | undefined {
  const isEmulator = target === 'broker' || target.startsWith('emulator-');
  if (isNetworkFault({ type }) && target !== 'broker') return `${type} is a network fault on the links to the broker: use target "broker" (got "${target}")`;
  if ((BROKER_FAULTS as readonly string[]).includes(type) && !isEmulator) return `${type} goes through an emulator's control API: target "broker" or an emulator-… member (got "${target}")`;
  if (type.startsWith('consumer-') && !target.startsWith('worker-') && !target.startsWith('subscriber-')) return `${type} acts on a consumer: target a worker-… or subscriber-… member (got "${target}")`;
  if (target === 'api' && (type === 'restart' || (type === 'kill' && hasFor))) return `the api cannot be started again during a run (it would come back on another port): use kill without "for", stop or pause on "api"`;
  return undefined;
}

function timingProblems(entry: FaultParts, durationMs: unknown, drainLimitMs: unknown): FaultIssue[] {
  const issues: FaultIssue[] = [];
  if (typeof entry.at !== 'number' || typeof durationMs !== 'number') return issues;
  if (entry.at >= durationMs) {
    issues.push({ path: ['at'], message: `at ${formatDurationMs(entry.at)} is not before the end of the load (duration ${formatDurationMs(durationMs)}): the fault would never fire; give an "at" below ${formatDurationMs(durationMs)}` });
    return issues;
  }
  if (typeof entry.for === 'number' && typeof drainLimitMs === 'number' && entry.at + entry.for > durationMs + drainLimitMs) {
    const endMs = durationMs + drainLimitMs;
    issues.push({ path: ['for'], message: `at ${formatDurationMs(entry.at)} + for ${formatDurationMs(entry.for)} ends after the run can last (duration ${formatDurationMs(durationMs)} + drain limit ${formatDurationMs(drainLimitMs)} = ${formatDurationMs(endMs)}): the fault would never heal on schedule; shorten "for" or leave it out (the fault then lasts until the run ends)` });
  }
  return issues;
}

/**
 * Problems of the scenario's faults for the given technologies' stacks: unknown targets (listing
 * the members), fault kinds on members they cannot act on, and times outside the run.
 */
export function faultIssues(scenario: ScenarioParts, techs: readonly Tech[]): FaultIssue[] {
  if (!Array.isArray(scenario.faults) || techs.length === 0) return [];
  const issues: FaultIssue[] = [];
  (scenario.faults as FaultParts[]).forEach((entry, index) => {
    const at = (issue: FaultIssue) => issues.push({ path: ['faults', index, ...issue.path], message: issue.message });
    for (const issue of timingProblems(entry ?? {}, scenario.duration, scenario.drainLimit)) at(issue);
    if (typeof entry?.target !== 'string' || entry.target === '') return;
    const missingIn = techs.filter((tech) => !stackMembers(scenario, tech).includes(canonical(entry.target as string, stackMembers(scenario, tech))));
    if (missingIn.length === techs.length) {
      at({ path: ['target'], message: `unknown target "${entry.target}"; this scenario's stack members: ${unionMembers(scenario, techs).join(', ')}` });
      return;
    }
    if (missingIn.length) {
      const present = techs.filter((tech) => !missingIn.includes(tech));
      at({ path: ['target'], message: `target "${entry.target}" exists in the ${present.join(', ')} stack only, not in ${missingIn.join(', ')}: limit the run to ${present.join(', ')} (the scenario's techs, or --tech) or target "broker" (each technology's own emulator)` });
      return;
    }
    const type = entry.fault?.type;
    const problem = typeof type === 'string' ? targetProblem(type, canonical(entry.target, stackMembers(scenario, techs[0]!)), typeof entry.for === 'number') : undefined;
    if (problem) at({ path: ['target'], message: problem });
  });
  return issues;
}
