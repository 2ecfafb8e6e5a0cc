/**
 * The per-flow verdict of a single run's report: the same implementation as `moshpit compare`
 * (runner/verdict), fed with this one run's results. Promises first (a technology that does not
 * promise what the flow needs is never recommended), then what this run measured, then latency
 * with intervals read from the recorded percentile curve (interpolated; `compare` uses the raw
 * samples). One run is thin evidence: the report says so and points to `moshpit compare`.
 */
import { cellsOfResults } from '../../../runner/verdict/evidence.ts';
import { knownFlows } from '../../../runner/verdict/promises.ts';
import { fromCurve } from '../../../runner/verdict/stats.ts';
import { tierFacts } from './tiers.ts';
import { decideFlows, type FlowVerdict } from '../../../runner/verdict/verdict.ts';
import { latencyOf } from './checks.ts';
import type { Results } from './types.ts';

export type { FlowVerdict };

export function flowRecommendations(results: Results): FlowVerdict[] {
  const cells = cellsOfResults(results);
  if (cells.length === 0) return [];
  const techs = [...new Set(results.runs.map((r) => r.tech))];
  const present = [...new Set(cells.map((c) => c.flow))];
  const flows = [...knownFlows().filter((f) => present.includes(f)), ...present.filter((f) => !knownFlows().includes(f))];
  const profile = results.environment.profile;
  const tiers = Object.fromEntries(techs.map((t) => [t, profile?.tiers[t] ? tierFacts(t, profile.tiers[t]!.tier) : undefined]));
  const mode = (results.runs[0]?.config.backend as { consumer?: { mode?: 'peek-lock' | 'receive-and-delete' } } | undefined)?.consumer?.mode;
  return decideFlows({
    flows,
    techs,
    cells,
    latency: (tech, flow) => {
      const e2e = results.runs.find((r) => r.tech === tech)?.flows[flow];
      const summary = e2e ? latencyOf(e2e, 'e2e') : undefined;
      return summary && summary.count > 0 ? fromCurve(summary.curve, summary.count) : undefined;
    },
    latencyBasis: `this run's e2e percentile curve (${results.scenario.name}; intervals interpolated from recorded percentiles)`,
    tiers,
    ...(mode ? { mode } : {}),
    latencyRepresentative: profile?.latency ?? false,
  });
}
