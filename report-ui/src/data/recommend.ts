/**
 * Per-flow recommendation, derived only from the measured results and the flow's kind: which
 * technologies met the flow's expectations (every check true), with the figures that decided it.
 * Among those that met them, the lowest e2e p99 is recommended. Nothing is hard-coded.
 */
import { formatMs } from './format.ts';
import { flowMetrics, verdictReasons } from './summary.ts';
import type { FlowResult, Results } from './types.ts';

export interface TechAssessment {
  tech: string;
  verdict: 'met' | 'failed' | 'unknown';
  /** the measured figures, e.g. "0 lost, 4 inversions, e2e p99 120 ms" */
  facts: string;
  /** the checks that failed or could not be decided */
  reasons: string[];
  e2eP99Ms: number | undefined;
}

export interface FlowRecommendation {
  flow: string;
  kind: 'message' | 'event' | null;
  /** what the flow needs, from its kind and its checks */
  needs: string;
  assessments: TechAssessment[];
  /** recommended technology, or null when none met the expectations (or nothing was measured) */
  recommended: string | null;
  /** one-sentence conclusion with the reasoning */
  conclusion: string;
}

function needsOf(kind: 'message' | 'event' | null, flows: FlowResult[]): string {
  const has = (checker: string) => flows.some((f) => Object.values(f.checks).some((c) => c.checker.toLowerCase().includes(checker)));
  if (kind === 'event') return 'event flow: every subscriber receives every event (fan-out)';
  if (kind === 'message') {
    const parts = ['each operation processed once, none lost'];
    if (has('order')) parts.push('per-key order');
    if (has('integrity')) parts.push('payload integrity');
    return `message flow: ${parts.join(', ')}`;
  }
  return 'kind not recorded';
}

function factsOf(flow: FlowResult): { facts: string; e2eP99Ms: number | undefined } {
  const m = flowMetrics(flow);
  const parts: string[] = [];
  const add = (value: number | undefined, label: string) => {
    if (value !== undefined) parts.push(`${value} ${label}`);
  };
  add(m.lost, 'lost');
  add(m.duplicatedProcessing, 'dup. processed');
  add(m.unexpected, 'unexpected');
  add(m.inversions, 'inversions');
  add(m.fanOutMissing, 'fan-out missing');
  add(m.deadLettered, 'dead-lettered');
  add(m.integrityMismatched, 'integrity mismatches');
  if (m.e2eP99Ms !== undefined) parts.push(`e2e p99 ${formatMs(m.e2eP99Ms)} ms`);
  return { facts: parts.length > 0 ? parts.join(', ') : 'nothing measured', e2eP99Ms: m.e2eP99Ms };
}

function assess(tech: string, flow: FlowResult, runFailed: boolean): TechAssessment {
  const { facts, e2eP99Ms } = factsOf(flow);
  const reasons = verdictReasons(flow);
  const verdict = runFailed || flow.valid === false ? 'failed' : flow.valid === true ? 'met' : 'unknown';
  return { tech, verdict, facts, reasons: runFailed ? ['run failed', ...reasons] : reasons, e2eP99Ms };
}

function conclude(flow: string, assessments: TechAssessment[]): { recommended: string | null; conclusion: string } {
  if (assessments.length === 0) return { recommended: null, conclusion: `nothing was measured for ${flow}` };
  const met = assessments.filter((a) => a.verdict === 'met');
  if (met.length === 0) {
    const unknown = assessments.filter((a) => a.verdict === 'unknown').map((a) => a.tech);
    const tail = unknown.length > 0 ? `; undecided: ${unknown.join(', ')} (a check could not be measured)` : '';
    return { recommended: null, conclusion: `no technology met the expectations of ${flow}${tail}` };
  }
  const ranked = [...met].sort((a, b) => (a.e2eP99Ms ?? Infinity) - (b.e2eP99Ms ?? Infinity));
  const best = ranked[0]!;
  const others = ranked.slice(1).map((a) => a.tech);
  const latency = best.e2eP99Ms !== undefined ? `, lowest e2e p99 (${formatMs(best.e2eP99Ms)} ms) among those that did` : '';
  const also = others.length > 0 ? `; also met: ${others.join(', ')}` : '';
  return { recommended: best.tech, conclusion: `${best.tech} met every check${latency}${also}` };
}

export function flowRecommendations(results: Results): FlowRecommendation[] {
  const names: string[] = [];
  for (const run of results.runs) for (const name of Object.keys(run.flows)) if (!names.includes(name)) names.push(name);
  return names.map((name) => {
    const present = results.runs.filter((run) => run.flows[name] !== undefined);
    const flows = present.map((run) => run.flows[name]!);
    const kind = flows[0]?.kind ?? null;
    const assessments = present.map((run) => assess(run.tech, run.flows[name]!, run.status === 'failed'));
    return { flow: name, kind, needs: needsOf(kind, flows), assessments, ...conclude(name, assessments) };
  });
}
