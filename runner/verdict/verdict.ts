/**
 * The verdict per flow, the one implementation behind `moshpit compare` (comparison.json and its
 * report) and the single-run report. Three things side by side, each with its evidence:
 *   1. PROMISES (profiles/promises.json, Microsoft's pages): a required promise the technology
 *      does not make disqualifies it, whatever a run showed;
 *   2. MEASURED across every scenario: lost acknowledged data (message flows), missing
 *      deliveries (event flows), inversions (ordered flows) disqualify, the scenario named;
 *   3. LATENCY with confidence intervals: a winner only where the intervals separate, never the
 *      deciding reason when the profile's latency is not representative of Azure (ideal).
 * Among the technologies that fit: the latency winner, else the cheapest at the measured rate
 * when costs are given, else all that fit with "no measurable difference".
 */
import type { CellEvidence } from './evidence.ts';
import { measuredCheck, type MeasuredCheck } from './measured.ts';
import { flowNeeds, promiseCheck, type PromiseCheck } from './promises.ts';
import { percentileInterval, separate, type Interval, type QuantileSource, type Separation } from './stats.ts';
import type { TierFacts } from './tiers.ts';

export interface TechFlowVerdict {
  tech: string;
  tier?: string;
  promise: PromiseCheck;
  measured: MeasuredCheck;
  latency: { n: number; basis: string; p50: Interval | null; p99: Interval | null };
  fit: boolean;
  /** why not fit (empty when fit) */
  reasons: string[];
}

export interface FlowVerdict {
  flow: string;
  kind: 'message' | 'event';
  question: string;
  techs: TechFlowVerdict[];
  latency: { representative: boolean; basis: string; p50: Separation; p99: Separation; text: string };
  fits: string[];
  recommended: string | null;
  decidedBy: 'only-fit' | 'latency' | 'cost' | null;
  conclusion: string;
}

export interface VerdictInput {
  flows: string[];
  techs: string[];
  cells: CellEvidence[];
  /** e2e latency per tech and flow (samples or a curve), from the scenarios named by latencyBasis */
  latency: (tech: string, flow: string) => QuantileSource | undefined;
  latencyBasis: string;
  tiers: Record<string, TierFacts | undefined>;
  mode?: 'peek-lock' | 'receive-and-delete';
  /** false under the ideal profile: loopback timing, never the deciding reason */
  latencyRepresentative: boolean;
  /** monthly cost estimate per tech (USD) at the measured rate, when known */
  monthlyCostUsd?: Record<string, number | undefined>;
}

function techVerdict(input: VerdictInput, tech: string, flow: string): TechFlowVerdict {
  const tier = input.tiers[tech];
  const promise = promiseCheck(tech, flow, { tier, mode: input.mode });
  const ordered = flowNeeds(flow)?.requires.includes('orderingPerKey') ?? false;
  const measured = measuredCheck(input.cells.filter((c) => c.tech === tech && c.flow === flow), ordered);
  const source = input.latency(tech, flow);
  const latency = { n: source?.n ?? 0, basis: source?.basis ?? 'none', p50: source ? percentileInterval(source, 50) : null, p99: source ? percentileInterval(source, 99) : null };
  const reasons = [...promise.reasons];
  for (const f of measured.failures) reasons.push(`${tech} ${f.what} in scenario ${f.scenario}`);
  if (measured.ok === 'unknown') reasons.push(`${tech} was not measured for ${flow} (no completed run)`);
  return { tech, ...(tier ? { tier: tier.tier } : {}), promise, measured, latency, fit: reasons.length === 0, reasons };
}

const fmt = (ms: number) => (ms >= 100 ? ms.toFixed(0) : ms.toFixed(1));
const intervalText = (i: Interval | null) => (i ? `${fmt(i.estimateMs)} ms [${fmt(i.lowMs)}, ${i.highMs === null ? 'open' : fmt(i.highMs)}], n=${i.n}` : 'no samples');

function latencyComparison(input: VerdictInput, fitting: TechFlowVerdict[]): FlowVerdict['latency'] {
  const p50 = separate(fitting.map((t) => ({ name: t.tech, interval: t.latency.p50 })));
  const p99 = separate(fitting.map((t) => ({ name: t.tech, interval: t.latency.p99 })));
  let text: string;
  if (fitting.length < 2) text = 'nothing to compare (fewer than two technologies fit)';
  else if (p99.winner) text = `${p99.winner} is faster at p99 (95% intervals separate)`;
  else if (p50.winner) text = `${p50.winner} is faster at p50 (95% intervals separate); at p99 no measurable difference`;
  else text = `no measurable difference (95% intervals overlap at p50 and p99: ${p50.tied.join(', ')})`;
  if (!input.latencyRepresentative) text += '; NOT representative of Azure (no latency model: the ideal profile, or none recorded; loopback timing), so latency decides nothing';
  return { representative: input.latencyRepresentative, basis: input.latencyBasis, p50, p99, text };
}

function decide(input: VerdictInput, fits: TechFlowVerdict[], latency: FlowVerdict['latency']): Pick<FlowVerdict, 'recommended' | 'decidedBy'> & { why: string } {
  if (fits.length === 0) return { recommended: null, decidedBy: null, why: '' };
  if (fits.length === 1) return { recommended: fits[0]!.tech, decidedBy: 'only-fit', why: 'the only technology that promises everything the flow needs outright and kept it in every scenario' };
  const winner = latency.p99.winner ?? latency.p50.winner;
  if (latency.representative && winner) return { recommended: winner, decidedBy: 'latency', why: latency.text };
  const costs = fits.map((t) => ({ tech: t.tech, usd: input.monthlyCostUsd?.[t.tech] }));
  if (costs.every((c) => c.usd !== undefined)) {
    const cheapest = [...costs].sort((a, b) => a.usd! - b.usd!)[0]!;
    return { recommended: cheapest.tech, decidedBy: 'cost', why: `latency: ${latency.text}; cheapest for the whole app at the reference scenario's rate (estimate ${cheapest.usd!.toFixed(2)} USD/month)` };
  }
  return { recommended: null, decidedBy: null, why: `latency: ${latency.text}` };
}

function conclusion(flow: string, kind: string, verdicts: TechFlowVerdict[], fits: TechFlowVerdict[], candidates: TechFlowVerdict[], pick: ReturnType<typeof decide>): string {
  const not = verdicts.filter((t) => !t.fit).map((t) => `${t.tech} (${t.reasons[0]!.replace(/\.$/, '')})`);
  const notText = not.length ? ` Not recommended: ${not.join('; ')}.` : '';
  if (fits.length === 0) return `${flow} (${kind}): no technology both promises what it needs and kept it in every scenario.${notText}`;
  if (pick.recommended) {
    const others = candidates.filter((t) => t.tech !== pick.recommended).map((t) => t.tech);
    return `${flow} (${kind}): ${pick.recommended}: ${pick.why}.${others.length ? ` Also fit: ${others.join(', ')}.` : ''}${notText}`;
  }
  return `${flow} (${kind}): ${candidates.map((t) => t.tech).join(', ')} fit; ${pick.why}.${notText}`;
}

function conditionalNote(fits: TechFlowVerdict[], candidates: TechFlowVerdict[]): string {
  const conditional = fits.filter((t) => !candidates.includes(t));
  if (!conditional.length) return '';
  const why = (t: TechFlowVerdict) => t.promise.items.find((i) => i.required && i.value === 'conditional')?.text ?? '';
  return ` Ranked after them (promise only with conditions): ${conditional.map((t) => `${t.tech}: ${why(t)}`).join('; ')}`;
}

export function decideFlows(input: VerdictInput): FlowVerdict[] {
  return input.flows.map((flow) => {
    const needs = flowNeeds(flow);
    const kind = needs?.kind ?? (input.cells.find((c) => c.flow === flow)?.kind ?? 'message');
    const verdicts = input.techs.map((tech) => techVerdict(input, tech, flow));
    const fits = verdicts.filter((t) => t.fit);
    // a technology that promises every requirement outright ranks before one that only does with conditions
    const outright = fits.filter((t) => t.promise.items.every((i) => !i.required || i.value === 'yes'));
    const candidates = outright.length ? outright : fits;
    const latency = latencyComparison(input, candidates);
    const pick = decide(input, candidates, latency);
    return {
      flow,
      kind,
      question: needs?.question ?? `${flow}: a ${kind} flow`,
      techs: verdicts,
      latency,
      fits: fits.map((t) => t.tech),
      recommended: pick.recommended,
      decidedBy: pick.decidedBy,
      conclusion: conclusion(flow, kind, verdicts, fits, candidates, pick) + conditionalNote(fits, candidates),
    };
  });
}
