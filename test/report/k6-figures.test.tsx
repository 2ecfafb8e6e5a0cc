/**
 * The run details show k6's own figures (results `load.k6`) for k6-engine runs only; results
 * files written before load.k6 existed still validate and render without them.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RunDetails } from '../../report-ui/src/components/RunDetails.tsx';
import { resultsSchema, type K6LoadFigures } from '../../runner/results/schema.ts';
import { sampleJson, sampleResults } from './helpers.ts';

const figures: K6LoadFigures = {
  segments: 2,
  httpRequests: 1234,
  droppedIterations: 16,
  httpReqDurationMs: { p95: 153.478, p99: 153.568, max: 153.591 },
  droppedCrossCheck: false,
};

function k6Line(html: string): string | undefined {
  return /<p class="k6-figures"[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1]?.replace(/<!-- -->/g, '');
}

describe('report: k6 figures in the run details', () => {
  it('an old results file (no load.k6) validates and shows no k6 line', () => {
    const old = sampleJson();
    for (const run of old.runs) expect(run.load.k6).toBeUndefined();
    const parsed = resultsSchema.parse(old);
    expect(k6Line(renderToStaticMarkup(<RunDetails results={parsed} />))).toBeUndefined();
  });

  it('a k6 run shows requests, p95/p99 (worst segment), max and the drop cross-check; a builtin run beside it does not', () => {
    const results = sampleResults();
    const [k6Run, builtinRun] = results.runs;
    k6Run!.load = { ...k6Run!.load, engine: 'k6', dropped: 14, k6: figures };
    expect(builtinRun!.load.k6).toBeUndefined();
    const html = renderToStaticMarkup(<RunDetails results={resultsSchema.parse(JSON.parse(JSON.stringify(results)))} />);
    expect(html.match(/data-testid="k6-figures"/g)).toHaveLength(1);
    expect(k6Line(html)).toBe(
      'k6: 1,234 HTTP requests, http_req_duration p95 153 ms, p99 154 ms, max 154 ms (p95/p99: worst of 2 segments); dropped_iterations 16 (history: 14)',
    );
  });

  it('one segment, agreeing drops, no request at all: dashes, not zeros', () => {
    const results = sampleResults();
    const none: K6LoadFigures = { segments: 1, httpRequests: 0, droppedIterations: 0, httpReqDurationMs: { p95: null, p99: null, max: null }, droppedCrossCheck: true };
    results.runs[0]!.load = { ...results.runs[0]!.load, engine: 'k6', k6: none };
    expect(k6Line(renderToStaticMarkup(<RunDetails results={results} />))).toBe(
      'k6: 0 HTTP requests, http_req_duration p95 —, p99 —, max —; dropped_iterations 0 (as in the history)',
    );
  });
});
