/** Shapes the report header: what ran, when, where, with which seed. */
import { formatDate, formatDurationMs } from './format.ts';
import type { Results } from './types.ts';

export interface HeaderField {
  label: string;
  value: string;
}

export interface HeaderInfo {
  title: string;
  description: string;
  fields: HeaderField[];
}

/** Where the figures came from: the emulators (and which profile), or the brokers of a target. */
export function targetLabel(results: Results): string {
  if (results.environment.target === 'azure') return 'Azure (a real target: its own quotas and latency)';
  if (results.runs.some((run) => run.target === 'external')) return 'external brokers on this machine (run --target: emulators started separately)';
  return 'emulated (local)';
}

/** The Azure profile the emulators played: without one, figures are the target's or unknown. */
export function profileLabel(results: Results): string {
  const profile = results.environment.profile;
  if (!profile) return results.runs.some((run) => run.target === 'external') || results.environment.target === 'azure' ? 'none (the target\'s brokers, not emulated tiers)' : 'unknown (results written before profiles existed)';
  const tiers = Object.entries(profile.tiers).map(([tech, t]) => `${tech} ${t!.tier}${t!.unitName ? ` ${t!.units} ${t!.unitName}` : ''}`).join(', ');
  const latency = !profile.latency ? 'no added latency: loopback timing, not Azure\'s' : profile.kind === 'calibrated' ? 'calibrated latency' : 'latency model (estimates)';
  return `${profile.name} (${profile.kind}${profile.file ? ` ${profile.file}` : ''}): ${tiers || 'no tiers'}; ${profile.quotas ? 'quotas on' : 'quotas off'}; ${latency}`;
}

export function headerInfo(results: Results): HeaderInfo {
  const { scenario, environment } = results;
  const machine = environment.machine;
  const techs = results.runs.map((run) => run.tech).join(', ');
  return {
    title: scenario.name,
    description: scenario.description,
    fields: [
      { label: 'date', value: formatDate(results.generatedAt) },
      { label: 'seed', value: String(scenario.seed) },
      { label: 'target', value: targetLabel(results) },
      { label: 'azure profile', value: profileLabel(results) },
      { label: 'technologies', value: techs || '—' },
      { label: 'duration', value: `${formatDurationMs(scenario.durationMs)} (drain limit ${formatDurationMs(scenario.drainLimitMs)})` },
      { label: 'machine', value: `${machine.cpus} CPUs, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.platform}, Node ${machine.node}` },
      { label: 'git revision', value: environment.gitRevision ?? 'unknown' },
      { label: 'moshpit', value: results.moshpitVersion },
      { label: 'scenario file', value: scenario.file },
    ],
  };
}
