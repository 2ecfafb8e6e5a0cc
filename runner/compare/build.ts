/**
 * Assembles comparison.json from the suite's runs: the matrix (cells merged over --repeat), the
 * verdict per flow (runner/verdict: promises, measured, latency), cost and headroom. Pure apart
 * from what it is handed (results already read, samples already extracted).
 */
import type { Results, RunResult } from '../results/schema.ts';
import { cellsOfRun, failedCells, type CellEvidence } from '../verdict/evidence.ts';
import { measuredCheck } from '../verdict/measured.ts';
import { flowNeeds, knownFlows, promiseCheck } from '../verdict/promises.ts';
import { fromSamples, percentileInterval, type QuantileSource } from '../verdict/stats.ts';
import type { TierFacts } from '../verdict/tiers.ts';
import { tierFacts } from '../../profiles/tier-facts.ts';
import { decideFlows } from '../verdict/verdict.ts';
import { headroom, monthlyCost } from './cost.ts';
import type { PriceTable } from './prices.ts';
import { COMPARISON_SCHEMA_ID, COMPARISON_VERSION, type Comparison, type MatrixCell } from './schema.ts';
import type { FlowSamples } from './samples.ts';
import type { Suite } from './suite.ts';

export const BRIEF_QUESTION =
  'For each communication of the app: is it a message (the sender expects it processed) or an event (a notification; every subscriber must get it), and which of the four technologies fits it, and why?';

export interface SuiteRun {
  scenario: string;
  tech: string;
  repeat: number;
  /** results.json of this run, relative to the comparison's directory */
  resultsPath: string;
  results: Results;
  samples: FlowSamples;
}

export interface BuildInput {
  suite: Suite;
  techs: string[];
  repeat: number;
  runs: SuiteRun[];
  prices: PriceTable;
  pricesFile: string;
  moshpitVersion: string;
  wallTimeMs: number;
  /** compare --target: the target file, whether it is real Azure, and its tiers per technology */
  target?: { file: string; remote: boolean; tiers: Record<string, string> };
  skipped?: Array<{ scenario: string; tech: string; reason: string }>;
}

const runOf = (r: SuiteRun): RunResult | undefined => r.results.runs[0];

function cellsOf(r: SuiteRun): CellEvidence[] {
  const run = runOf(r);
  if (!run || Object.keys(run.flows).length === 0) return failedCells(r.scenario, r.tech, knownFlows(), run?.error ?? 'no results');
  return cellsOfRun(r.scenario, run);
}

function profileOf(input: BuildInput): Comparison['profile'] {
  if (input.target) {
    // the target's own brokers: real Azure has its own quotas and latency; brokers started here do not tell
    const tiers: Comparison['profile']['tiers'] = Object.fromEntries(Object.entries(input.target.tiers).map(([tech, tier]) => [tech, { tier, units: 1 }]));
    return { name: `target ${input.target.file}`, quotas: input.target.remote, latencyRepresentative: input.target.remote, tiers };
  }
  const summaries = input.runs.map((r) => r.results.environment.profile).filter((p) => p !== undefined);
  const summary = summaries[0];
  const tiers: Comparison['profile']['tiers'] = {};
  // each run's results.json names only its own technology's tier
  for (const s of summaries) for (const [tech, t] of Object.entries(s.tiers)) if (t && !tiers[tech]) tiers[tech] = { tier: t.tier, units: t.units, ...(t.unitName ? { unitName: t.unitName } : {}) };
  return { name: summary?.name ?? 'unknown', quotas: summary?.quotas ?? false, latencyRepresentative: summary?.latency ?? false, tiers };
}

function mergedSamples(runs: SuiteRun[], scenarios: string[], tech: string, flow: string): QuantileSource | undefined {
  const values = runs.filter((r) => r.tech === tech && scenarios.includes(r.scenario)).flatMap((r) => r.samples[flow] ?? []);
  return values.length ? fromSamples(values) : undefined;
}

function matrixCell(input: BuildInput, cells: CellEvidence[], tiers: Record<string, TierFacts | undefined>): MatrixCell {
  const first = cells[0]!;
  const ordered = flowNeeds(first.flow)?.requires.includes('orderingPerKey') ?? false;
  const measured = measuredCheck(cells, ordered);
  const counts: Record<string, number> = {};
  for (const key of ['lost', 'duplicatedDelivery', 'duplicatedProcessing', 'unexpected', 'inversions', 'fanOutMissing', 'deadLettered', 'integrityMismatched', 'pending'] as const) {
    const present = cells.map((c) => c[key]).filter((v): v is number => v !== undefined);
    if (present.length) counts[key] = present.reduce((a, b) => a + b, 0);
  }
  const runs = input.runs.filter((r) => r.scenario === first.scenario && r.tech === first.tech);
  const samples = mergedSamples(runs, [first.scenario], first.tech, first.flow);
  return {
    scenario: first.scenario,
    tech: first.tech,
    flow: first.flow,
    kind: first.kind,
    verdict: measured.ok === true ? 'met' : measured.ok === false ? 'failed' : 'unknown',
    promised: promiseCheck(first.tech, first.flow, { tier: tiers[first.tech] }).ok,
    failures: measured.failures.map((f) => f.what),
    repeats: cells.length,
    counts,
    e2e: { n: samples?.n ?? 0, p50: samples ? percentileInterval(samples, 50) : null, p99: samples ? percentileInterval(samples, 99) : null },
    faults: first.faults,
    anchor: `run-${first.scenario}-${first.tech}`,
    results: runs.map((r) => r.resultsPath),
  };
}

function costAndHeadroom(input: BuildInput, profile: Comparison['profile']) {
  const estimates: Comparison['cost']['estimates'] = [];
  const rooms: Comparison['headroom'] = [];
  for (const r of input.runs.filter((x) => x.repeat === 1)) {
    const run = runOf(r);
    const tier = profile.tiers[r.tech];
    if (!run || run.status === 'failed' || !tier) continue;
    const cost = monthlyCost(run, tier.tier, tier.units, r.results.scenario.durationMs / 1000, input.prices);
    if (cost) estimates.push({ scenario: r.scenario, ...cost });
    const quotas = tierFacts(r.tech, tier.tier)?.quotas ?? [];
    for (const h of headroom(run, tier.tier, tier.units, tier.unitName, quotas)) rooms.push({ scenario: r.scenario, ...h });
  }
  return { estimates, rooms };
}

export function buildComparison(input: BuildInput): Comparison {
  const profile = profileOf(input);
  const tiers = Object.fromEntries(input.techs.map((t) => [t, profile.tiers[t] ? tierFacts(t, profile.tiers[t]!.tier) : undefined]));
  const cells = input.runs.flatMap(cellsOf);
  const clean = input.suite.entries.filter((e) => e.loaded.scenario.faults.length === 0).map((e) => e.name);
  const latencyScenarios = clean.length ? clean : input.suite.entries.map((e) => e.name);
  const flows = knownFlows().filter((f) => cells.some((c) => c.flow === f));
  const { estimates, rooms } = costAndHeadroom(input, profile);
  const reference = latencyScenarios[0] ?? null;
  const monthlyCostUsd = Object.fromEntries(estimates.filter((e) => e.scenario === reference).map((e) => [e.tech, e.monthlyUsd]));
  const mode = input.suite.entries.find((e) => e.name === reference)?.loaded.scenario.backend.consumer.mode ?? 'peek-lock';
  const verdicts = decideFlows({
    flows,
    techs: input.techs,
    cells,
    latency: (tech, flow) => mergedSamples(input.runs, latencyScenarios, tech, flow),
    latencyBasis: `e2e samples of ${latencyScenarios.join(', ')} (${input.repeat} repeat${input.repeat === 1 ? '' : 's'} merged)`,
    tiers,
    mode,
    latencyRepresentative: profile.latencyRepresentative,
    monthlyCostUsd,
  });
  const groups = new Map<string, CellEvidence[]>();
  for (const c of cells) {
    const key = `${c.scenario}\u0000${c.tech}\u0000${c.flow}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  return {
    schema: COMPARISON_SCHEMA_ID,
    version: COMPARISON_VERSION,
    generatedAt: new Date().toISOString(),
    moshpitVersion: input.moshpitVersion,
    question: BRIEF_QUESTION,
    suite: {
      name: input.suite.name,
      description: input.suite.description,
      file: input.suite.file,
      entries: input.suite.entries.map((e) => ({ name: e.name, file: e.file, overridden: e.overridden, durationMs: e.loaded.scenario.duration, description: e.loaded.scenario.description, faults: e.loaded.scenario.faults.map((f) => `${f.fault.type} ${f.target} at ${f.at / 1000}s for ${f.for === undefined ? '—' : `${Number(f.for) / 1000}s`}`) })),
    },
    techs: input.techs,
    repeat: input.repeat,
    wallTimeMs: input.wallTimeMs,
    profile,
    ...(input.target ? { target: { file: input.target.file, kind: input.target.remote ? 'azure' as const : 'external' as const } } : {}),
    ...(input.skipped?.length ? { skipped: input.skipped } : {}),
    latencyScenarios,
    verdicts,
    matrix: [...groups.values()].map((g) => matrixCell(input, g, tiers)),
    runs: input.runs.map((r) => {
      const run = runOf(r);
      return { scenario: r.scenario, tech: r.tech, repeat: r.repeat, status: run?.status ?? 'failed', valid: run?.valid ?? false, durationMs: run?.durationMs ?? 0, results: r.resultsPath, ...(run?.error ? { error: run.error } : {}) };
    }),
    cost: { prices: { file: input.pricesFile, read: input.prices.read, currency: input.prices.currency, estimate: input.prices.estimate, basis: input.prices.basis }, referenceScenario: reference, estimates },
    headroom: rooms,
    sources: { promises: 'profiles/promises.json', prices: input.pricesFile },
  };
}
