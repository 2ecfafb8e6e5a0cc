/** Suites (shipped and files, every problem at once) and the cost / headroom arithmetic. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { headroom, monthlyCost, runOperations } from '../../runner/compare/cost.ts';
import { loadPrices } from '../../runner/compare/prices.ts';
import { deepMerge, loadSuite } from '../../runner/compare/suite.ts';
import { UserError } from '../../runner/contracts/errors.ts';
import { tierFacts } from '../../profiles/tier-facts.ts';
import { sampleResults } from '../report/helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-suite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('suites', () => {
  it('quick covers no fault, broker kill, consumer crash, a network fault and throttling, all short', async () => {
    const suite = await loadSuite('quick');
    const faults = suite.entries.map((e) => e.loaded.scenario.faults.map((f) => `${f.target}:${f.fault.type}`).join(','));
    expect(faults).toEqual(['', 'broker:kill', 'worker-uploads-1:kill,worker-comments-1:kill', 'broker:latency', 'broker:throttle']);
    expect(Math.max(...suite.entries.map((e) => e.loaded.scenario.duration))).toBeLessThanOrEqual(10_000);
    expect((await loadSuite('full')).entries.length).toBeGreaterThanOrEqual(11);
  });

  it('a suite file: overrides merge over the scenario; every problem is reported at once', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ name: 'g', entries: [{ scenario: join(process.cwd(), 'scenarios/smoke.ts'), name: 'short', overrides: { duration: '2s', load: { comments: { rate: 3 } } } }] }));
    const suite = await loadSuite(good);
    expect(suite.entries[0]!.loaded.scenario).toMatchObject({ name: 'short', duration: 2000, load: { comments: { rate: 3, songs: 5 }, uploads: { rate: 5 } } });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'b', entries: [{ scenario: 'nope.ts' }, { scenario: join(process.cwd(), 'scenarios/smoke.ts'), overrides: { duration: 'soon', seed: 'x' } }] }));
    const error = await loadSuite(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    const message = (error as Error).message;
    expect(message).toMatch(/2 problems/);
    expect(message).toMatch(/entries\.0: scenario file not found/);
    expect(message).toMatch(/duration: expected a duration/);
    expect(message).toMatch(/seed:/);
    expect(deepMerge({ a: { b: 1, c: [1] } }, { a: { c: [2] } })).toEqual({ a: { b: 1, c: [2] } });
  });
});

describe('cost and headroom', () => {
  const run = sampleResults().runs[1]!; // service-bus
  it('counts operations from the checked results and prices them per tier', () => {
    const ops = runOperations(run);
    expect(ops.messagesSent).toBeGreaterThan(0);
    const prices = loadPrices();
    const standard = monthlyCost(run, 'standard', 1, 10, prices)!;
    const basic = monthlyCost(run, 'basic', 1, 10, prices)!;
    expect(standard.estimate).toBe(true);
    expect(standard.source).toMatch(/^https:\/\/azure\.microsoft\.com\/pricing\//);
    expect(standard.monthlyUsd).toBeGreaterThan(0.0135 * 730 - 0.01); // the base charge at least
    const millions = (ops.billable / 10) * 730 * 3600 / 1e6;
    expect(basic.monthlyUsd).toBeCloseTo(millions * 0.05, 6);
    expect(monthlyCost(run, 'no-such-tier', 1, 10, prices)).toBeUndefined();
  });

  it('peak rate against each quota of the tier, as "would throttle at N× this load"', () => {
    const rooms = headroom(run, 'standard', 1, undefined, tierFacts('service-bus', 'standard')!.quotas);
    const credits = rooms.find((r) => r.quota === 'creditsPerSecondPerNamespace')!;
    const peak = Math.max(...run.timeline.map((p) => p.acknowledged));
    expect(credits.peakPerSecond).toBeCloseTo(peak * runOperations(run).perAcknowledged, 6);
    expect(credits.factor).toBeCloseTo(1000 / credits.peakPerSecond, 6);
    expect(credits.text).toMatch(/^service-bus standard would throttle at [\d.]+× this load/);
    const eh = headroom({ ...run, tech: 'event-hubs' }, 'standard', 2, 'throughput units', tierFacts('event-hubs', 'standard')!.quotas);
    expect(eh.map((h) => h.quota)).toEqual(['ingressEventsPerSecond', 'egressEventsPerSecond']); // byte quotas need payload sizes
    expect(eh[0]!.limitPerSecond).toBe(2000);
    expect(eh[0]!.text).toMatch(/at 2 throughput units/);
  });
});

describe('comparison.json schema', () => {
  it('is exported as JSON Schema like results.json, and a built comparison satisfies it', async () => {
    const { comparisonJsonSchema } = await import('../../runner/compare/schema.ts');
    const schema = comparisonJsonSchema() as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['schema', 'version', 'verdicts', 'matrix', 'cost', 'headroom']));
    const { syntheticComparison } = await import('./helpers.ts');
    const { comparison } = await syntheticComparison();
    expect(comparison).toMatchObject({ schema: 'moshpit.comparison', version: 1, latencyScenarios: ['baseline'] });
    expect(comparison.matrix).toHaveLength(5 * 4 * 3);
  });
});
