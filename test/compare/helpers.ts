/**
 * A synthetic comparison: the quick suite's scenarios × the four technologies, each run a copy of
 * the sample results fixture renamed (its counts, timeline and faults), with hand-made latency
 * samples. Pure data for the verdict, the report and the gate; no emulator runs.
 */
import { buildComparison, type SuiteRun } from '../../runner/compare/build.ts';
import { loadPrices } from '../../runner/compare/prices.ts';
import { comparisonSchema, type Comparison } from '../../runner/compare/schema.ts';
import { loadSuite } from '../../runner/compare/suite.ts';
import type { Results } from '../../runner/results/schema.ts';
import { sampleResults } from '../report/helpers.ts';

export const FOUR_TECHS = ['storage-queue', 'service-bus', 'event-hubs', 'event-grid'];
const TIERS: Record<string, string> = { 'storage-queue': 'standard', 'service-bus': 'standard', 'event-hubs': 'standard', 'event-grid': 'basic' };

function runResults(scenario: string, tech: string): Results {
  const base = sampleResults();
  const run = structuredClone(base.runs[1]!); // service-bus's run: clean comments, fan-out
  run.tech = tech;
  for (const flow of Object.values(run.flows)) {
    if (flow.checks.ordering) flow.checks.ordering.counts.inversions = 0;
    for (const check of Object.values(flow.checks)) if (check.checker === 'integrity') check.valid = true;
  }
  const profile = { name: 'standard', version: 1, kind: 'builtin' as const, quotas: true, latency: true, tiers: { [tech]: { tier: TIERS[tech]!, units: 1, estimates: [], sources: [] } } };
  return { ...base, scenario: { ...base.scenario, name: scenario }, environment: { ...base.environment, profile }, runs: [run] };
}

export async function syntheticRuns(lose?: { scenario: string; tech: string; flow: string; lost: number }): Promise<{ runs: SuiteRun[]; suite: Awaited<ReturnType<typeof loadSuite>> }> {
  const suite = await loadSuite('quick');
  const runs: SuiteRun[] = [];
  for (const [e, entry] of suite.entries.entries()) {
    for (const [t, tech] of FOUR_TECHS.entries()) {
      const results = runResults(entry.name, tech);
      if (lose && lose.scenario === entry.name && lose.tech === tech) results.runs[0]!.flows[lose.flow]!.checks['total-queue']!.counts.lost = lose.lost;
      const samples = (offset: number) => Array.from({ length: 300 }, (_, k) => 20 + offset + ((k * 7919 + e * 31 + t * 17) % 100) / 10);
      runs.push({ scenario: entry.name, tech, repeat: 1, resultsPath: `runs/${entry.name}-${tech}/results.json`, results, samples: { uploads: samples(0), comments: samples(0), 'song-added': samples(5) } });
    }
  }
  return { runs, suite };
}

export async function syntheticComparison(lose?: Parameters<typeof syntheticRuns>[0]): Promise<{ comparison: Comparison; runs: SuiteRun[] }> {
  const { runs, suite } = await syntheticRuns(lose);
  const comparison = comparisonSchema.parse(buildComparison({ suite, techs: FOUR_TECHS, repeat: 1, runs, prices: loadPrices(), pricesFile: 'profiles/prices.json', moshpitVersion: 'test', wallTimeMs: 1234 }));
  return { comparison, runs };
}
