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
      { label: 'target', value: environment.target === 'azure' ? 'Azure' : 'emulated (local)' },
      { label: 'technologies', value: techs || '—' },
      { label: 'duration', value: `${formatDurationMs(scenario.durationMs)} (drain limit ${formatDurationMs(scenario.drainLimitMs)})` },
      { label: 'machine', value: `${machine.cpus} CPUs, ${machine.memoryGiB.toFixed(1)} GiB, ${machine.platform}, Node ${machine.node}` },
      { label: 'git revision', value: environment.gitRevision ?? 'unknown' },
      { label: 'moshpit', value: results.moshpitVersion },
      { label: 'scenario file', value: scenario.file },
    ],
  };
}
