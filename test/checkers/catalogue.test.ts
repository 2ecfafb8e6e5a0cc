/**
 * The metric catalogue is the one vocabulary (issue 13): every checker writes exactly the counts
 * it lists, the checker registry lists the same checkers, the gate's counters and their old
 * names resolve through it, the results schema carries it, and the README's table is it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOGUE, CHECKER_NAMES, COUNTER_METRIC_LIST, countKeys, type CheckerName } from '../../runner/checkers/catalogue.ts';
import { catalogueTable, TABLE_END, TABLE_START } from '../../runner/checkers/catalogue-table.ts';
import { CHECKERS } from '../../runner/checkers/registry.ts';
import { checkHistory } from '../../runner/checkers/compose.ts';
import type { HopRecord } from '../../runner/contracts/history.ts';
import { readHistoryFile } from '../../runner/history/reader.ts';
import { metricSpec } from '../../runner/gate/metrics.ts';
import { parseMetricKey } from '../../runner/gate/expression.ts';
import { flowResult, resultsJsonSchema } from '../../runner/results/schema.ts';

const ROOT = join(import.meta.dirname, '../..');

describe('metric catalogue', () => {
  it('lists the registered checkers, no more, no fewer', () => {
    expect(CHECKERS.map((c) => c.name).sort()).toEqual([...CHECKER_NAMES].sort());
  });

  it('every checker writes exactly its catalogue counts (pathological golden history)', async () => {
    const records: HopRecord[] = [];
    await readHistoryFile(join(ROOT, 'test/data/histories/pathological.jsonl'), (r) => records.push(r));
    const check = checkHistory(records, { subscribers: ['sub-1', 'sub-2'], startedAtMs: 1_700_000_000_000 });
    const seen = new Set<string>();
    for (const [flow, result] of Object.entries(check.flows)) {
      expect(() => flowResult.parse(result), flow).not.toThrow();
      for (const [name, c] of Object.entries(result.checks)) {
        seen.add(name);
        const keys = countKeys(name as CheckerName);
        if (name === 'latency') expect(keys, `${flow} latency hops`).toEqual(expect.arrayContaining(Object.keys(c.counts)));
        else expect(Object.keys(c.counts).sort(), `${flow} ${name}`).toEqual([...keys].sort());
      }
    }
    expect([...seen].sort()).toEqual([...CHECKER_NAMES].sort());
  });

  it('gate counters name catalogue counts and denominators; old names are aliases of the new', () => {
    for (const m of COUNTER_METRIC_LIST) {
      expect(countKeys(m.checker)).toContain(m.count);
      expect(countKeys(m.checker)).toContain(m.per);
      expect(parseMetricKey(m.name).metric).toBe(m.name);
      for (const alias of m.aliases) expect(metricSpec(alias)).toEqual(metricSpec(m.name));
    }
    expect(metricSpec('duplicated')).toEqual({ kind: 'counter', checker: 'total-queue', count: 'duplicatedDelivery', per: 'committed' });
    expect(metricSpec('integrity_failures')).toEqual(metricSpec('integrity_mismatched'));
  });

  it('every metric of the sample threshold files is still known', () => {
    for (const file of ['test/data/thresholds.json', 'test/data/gate/regressions.json']) {
      const { thresholds } = JSON.parse(readFileSync(join(ROOT, file), 'utf8')) as { thresholds: Record<string, string[]> };
      for (const key of Object.keys(thresholds)) expect(metricSpec(parseMetricKey(key).metric), `${file}: ${key}`).toBeDefined();
    }
  });

  it('the results JSON Schema types each checker\'s counts with their meanings', () => {
    const schema = resultsJsonSchema() as any;
    const checks = schema.properties.runs.items.properties.flows.additionalProperties.properties.checks;
    for (const name of CHECKER_NAMES) {
      const counts = checks.properties[name].properties.counts;
      expect(Object.keys(counts.properties)).toEqual(countKeys(name));
      for (const [key, info] of Object.entries(CATALOGUE[name].counts)) expect(counts.properties[key].description).toBe((info as { meaning: string }).meaning);
      expect(counts.required ?? []).toEqual([]); // additive in v1: older files lack later counts
    }
    expect(checks.additionalProperties).toBeDefined(); // other checker names still read
  });

  it("the README's metric table is the catalogue's", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf(TABLE_START);
    const end = readme.indexOf(TABLE_END);
    expect(start, 'README has the metric table markers').toBeGreaterThan(0);
    const expected = catalogueTable();
    expect(readme.slice(start, end + TABLE_END.length), `replace the README's table with:\n${expected}`).toBe(expected);
  });
});
