/**
 * Evaluates threshold definitions against results (and a baseline): one case per threshold ×
 * technology × flow where the metric exists. Unknown values never pass: a threshold on an
 * unmeasured metric, a failed run or a metric missing from the baseline fails with the reason.
 */
import type { FlowResult, Results, RunResult } from '../results/schema.ts';
import { describeExpression, type Operator } from './expression.ts';
import { aggregate, formatNumber, observe, observeRecovery, type Aggregated } from './metrics.ts';
import type { ThresholdDef } from './thresholds.ts';

export interface GateCase {
  /** `e2e_latency: p(99) < 500` */
  threshold: string;
  metric: string;
  expression: string;
  source: string;
  tech: string;
  flow: string;
  /** the number compared with the limit, or null when unknown */
  observed: number | null;
  /** human text: "1895.6 ms", "0 (0/23)", "+12.5% (560 ms vs 497.8 ms)", "unknown" */
  observedText: string;
  passed: boolean;
  /** why it failed, beyond "observed vs limit" (not measured, run failed, no baseline...) */
  reason?: string;
}

export interface GateOutcome {
  cases: GateCase[];
  failed: number;
  passed: boolean;
}

export function compare(observed: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return observed < limit;
    case '<=':
      return observed <= limit;
    case '>':
      return observed > limit;
    case '>=':
      return observed >= limit;
    case '==':
      return observed === limit;
    default:
      return observed !== limit;
  }
}

/** (current − baseline) / |baseline| in percent; 0 when both are 0, +Infinity when only the baseline is 0. */
export function regressionPercent(current: number, baseline: number): number {
  if (baseline === 0) return current === 0 ? 0 : current > 0 ? Infinity : -Infinity;
  return ((current - baseline) / Math.abs(baseline)) * 100;
}

export function evaluateThresholds(defs: ThresholdDef[], results: Results, baseline?: Results): GateOutcome {
  const cases: GateCase[] = [];
  for (const def of defs) {
    for (const run of results.runs) {
      if (def.key.scope.tech !== undefined && def.key.scope.tech !== run.tech) continue;
      if (run.status === 'failed') {
        cases.push(makeCase(def, run.tech, '*', { value: null, text: 'run failed', reason: `the ${run.tech} run failed: ${run.error ?? 'unknown error'}` }));
        continue;
      }
      if (def.spec.kind === 'recovery') {
        cases.push(makeCase(def, run.tech, def.key.scope.flow ?? '*', aggregate(observeRecovery(run), def.expr)));
        continue;
      }
      if (def.spec.kind === 'unmeasured') {
        cases.push(makeCase(def, run.tech, def.key.scope.flow ?? '*', { value: null, text: 'not measured', reason: def.spec.reason }));
        continue;
      }
      for (const [flowName, flow] of Object.entries(run.flows)) {
        if (def.key.scope.flow !== undefined && def.key.scope.flow !== flowName) continue;
        const found = measure(def, flow, run, flowName, baseline);
        if (found) cases.push(makeCase(def, run.tech, flowName, found));
      }
    }
  }
  const failed = cases.filter((c) => !c.passed).length;
  return { cases, failed, passed: failed === 0 };
}

function measure(def: ThresholdDef, flow: FlowResult, run: RunResult, flowName: string, baseline?: Results): Aggregated | undefined {
  const obs = observe(def.spec, flow);
  if (!obs) return undefined;
  const current = aggregate(obs, def.expr);
  if (!def.expr.regression || current.value === null) return current;
  const baseFlow = baseline?.runs.find((r) => r.tech === run.tech && r.status === 'completed')?.flows[flowName];
  const baseObs = baseFlow ? observe(def.spec, baseFlow) : undefined;
  if (!baseObs) {
    return { value: null, text: `${current.text} (no baseline)`, reason: `the baseline has no ${def.key.metric} for ${run.tech}/${flowName}` };
  }
  const base = aggregate(baseObs, def.expr);
  if (base.value === null) return { value: null, text: `${current.text} (baseline: ${base.text})`, reason: `baseline: ${base.reason}` };
  const percent = regressionPercent(current.value, base.value);
  const sign = percent > 0 ? '+' : '';
  return { value: percent, text: `${sign}${formatNumber(Math.round(percent * 10) / 10)}% (${current.text} vs ${base.text})` };
}

function makeCase(def: ThresholdDef, tech: string, flow: string, found: Aggregated): GateCase {
  const expression = describeExpression(def.expr);
  const base = { threshold: `${def.key.metric}: ${expression}`, metric: def.key.metric, expression, source: def.source, tech, flow };
  if (found.value === null) return { ...base, observed: null, observedText: found.text, passed: false, reason: found.reason };
  return { ...base, observed: found.value, observedText: found.text, passed: compare(found.value, def.expr.operator, def.limit) };
}
