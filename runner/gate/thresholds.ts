/**
 * Threshold sources (a --thresholds file and the scenario's own `expect.thresholds` carried in
 * results.json) → validated threshold definitions. Every problem in every source is collected
 * and reported at once as one UserError (exit 2), each naming the source, the key, the
 * expression and the column.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../contracts/errors.ts';
import type { Results } from '../results/schema.ts';
import { parseExpression, parseMetricKey, ThresholdSyntaxError, type MetricKey, type ThresholdExpression } from './expression.ts';
import { aggregatesFor, knownMetricNames, metricSpec, observe, type MetricSpec } from './metrics.ts';

export type ThresholdMap = Record<string, string[]>;

export interface ThresholdSource {
  /** how messages name it: "thresholds.json", "runs/a/results.json scenario.thresholds" */
  label: string;
  thresholds: ThresholdMap;
}

export interface ThresholdDef {
  source: string;
  key: MetricKey;
  expr: ThresholdExpression;
  spec: MetricSpec;
  /** the limit in the metric's unit (ms for latencies, % for regressions) */
  limit: number;
}

/** Reads `{"thresholds": {"<metric>{scope}": ["expr", ...]}}`. */
export function readThresholdsFile(path: string): ThresholdSource {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(code === 'ENOENT' ? `thresholds file not found: ${path}` : `cannot read thresholds file ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  return { label: path, thresholds: checkThresholdMap(path, data) };
}

const FILE_SHAPE = 'expected {"thresholds": {"lost": ["count == 0"], "e2e_latency{flow:comments}": ["p(99) < 500"]}}';

function checkThresholdMap(path: string, data: unknown): ThresholdMap {
  const root = data as { thresholds?: unknown } | null;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) throw new UserError(`${path}: ${FILE_SHAPE}`);
  const unknownKeys = Object.keys(root).filter((k) => k !== 'thresholds');
  if (unknownKeys.length) throw new UserError(`${path}: unknown field ${unknownKeys.map((k) => `"${k}"`).join(', ')}; ${FILE_SHAPE}`);
  const map = root.thresholds;
  if (map === null || typeof map !== 'object' || Array.isArray(map)) throw new UserError(`${path}: "thresholds": ${FILE_SHAPE}`);
  const problems: string[] = [];
  for (const [key, list] of Object.entries(map)) {
    if (!Array.isArray(list) || list.some((e) => typeof e !== 'string')) {
      problems.push(`${path}: "thresholds"."${key}": expected an array of threshold strings, e.g. ["count == 0"]`);
    }
  }
  if (problems.length) throw new UserError(problems.join('\n'));
  return map as ThresholdMap;
}

/** Hop names present in any latency checker of the results (for `<hop>_latency`). */
export function hopsIn(results: Results): Set<string> {
  const hops = new Set<string>();
  for (const run of results.runs) for (const flow of Object.values(run.flows)) for (const hop of Object.keys(flow.checks.latency?.latency ?? {})) hops.add(hop);
  return hops;
}

/** Parses and validates every threshold of every source; throws one UserError listing all problems. */
export function resolveThresholds(sources: ThresholdSource[], results: Results, hasBaseline: boolean): ThresholdDef[] {
  const defs: ThresholdDef[] = [];
  const problems: string[] = [];
  const hops = hopsIn(results);
  for (const source of sources) {
    for (const [keyText, exprs] of Object.entries(source.thresholds)) {
      const where = `${source.label}: "${keyText}"`;
      const key = attempt(() => parseMetricKey(keyText), (e) => problems.push(`${where}: ${e}`));
      if (!key) continue;
      const spec = metricSpec(key.metric, hops);
      if (!spec) {
        problems.push(`${where}: unknown metric "${key.metric}"; known: ${knownMetricNames(hops).join(', ')}`);
        continue;
      }
      const scopeProblem = checkScope(key, spec, results);
      if (scopeProblem) problems.push(`${where}: ${scopeProblem}`);
      for (const exprText of exprs) {
        const at = `${where}: "${exprText}"`;
        const expr = attempt(() => parseExpression(exprText), (e) => problems.push(`${at}: ${e}`));
        if (!expr) continue;
        const problem = checkExpression(key.metric, spec, expr, hasBaseline);
        if (problem) problems.push(`${at}: ${problem}`);
        else if (!scopeProblem) defs.push({ source: source.label, key, expr, spec, limit: limitOf(expr) });
      }
    }
  }
  if (problems.length) throw new UserError(`bad threshold${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return defs;
}

function attempt<T>(parse: () => T, onError: (message: string) => void): T | undefined {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ThresholdSyntaxError) onError(error.message);
    else throw error;
    return undefined;
  }
}

function checkExpression(metric: string, spec: MetricSpec, expr: ThresholdExpression, hasBaseline: boolean): string | undefined {
  if (!aggregatesFor(spec).includes(expr.aggregate)) {
    const allowed = aggregatesFor(spec).map((a) => (a === 'p' ? 'p(N)' : a)).join(', ');
    const kind = spec.kind === 'counter' ? 'a counter' : 'a latency';
    return `${metric} is ${kind}: use ${allowed} (not ${expr.aggregate === 'p' ? 'p(N)' : expr.aggregate})`;
  }
  const isTime = (spec.kind === 'trend' || spec.kind === 'recovery' || (spec.kind === 'unmeasured' && spec.isTime)) && expr.aggregate !== 'count';
  if (!expr.regression && expr.unit !== null && !isTime) return `a time unit (${expr.unit}) only fits latency thresholds; ${metric} ${expr.aggregate} is a plain number`;
  if (expr.regression && !hasBaseline) return 'a regression threshold needs a baseline: pass --baseline base-results.json';
  return undefined;
}

function limitOf(expr: ThresholdExpression): number {
  const factor = expr.unit === 's' ? 1000 : expr.unit === 'm' ? 60_000 : 1;
  return expr.value * factor;
}

/** Scope values must name a technology and flow present in the results, and the metric must exist there. */
function checkScope(key: MetricKey, spec: MetricSpec, results: Results): string | undefined {
  const techs = results.runs.map((r) => r.tech);
  const flows = [...new Set(results.runs.flatMap((r) => Object.keys(r.flows)))];
  if (key.scope.tech !== undefined && !techs.includes(key.scope.tech)) {
    return `no run for tech "${key.scope.tech}" in the results (present: ${techs.join(', ') || 'none'})`;
  }
  if (key.scope.flow !== undefined && !flows.includes(key.scope.flow)) {
    return `no flow "${key.scope.flow}" in the results (present: ${flows.join(', ') || 'none'})`;
  }
  if (spec.kind === 'recovery') return undefined; // per run: a run without faults fails as "not measured"
  const present: string[] = [];
  for (const run of results.runs) {
    if (run.status === 'failed' && (key.scope.tech === undefined || key.scope.tech === run.tech)) return undefined;
    for (const [flow, result] of Object.entries(run.flows)) if (observe(spec, result)) present.push(`${run.tech}/${flow}`);
  }
  const matching = present.filter((p) => {
    const [tech, flow] = p.split('/');
    return (key.scope.tech ?? tech) === tech && (key.scope.flow ?? flow) === flow;
  });
  if (matching.length === 0) return `metric "${key.metric}" exists nowhere in this scope (present in: ${present.join(', ') || 'no technology × flow'})`;
  return undefined;
}
