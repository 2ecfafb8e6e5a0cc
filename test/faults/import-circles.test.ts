/**
 * Layout guards for runner/faults (issue 13): no import circles (type-only imports count), and
 * every toxic file in network/toxics/ is in the toxic registry, the scenario schema and the
 * fault registry.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { join } from 'node:path';
import { findCircles, importGraph } from '../helpers/import-graph.ts';
import { TOXICS } from '../../runner/faults/network/toxics/index.ts';
import { faultEntrySchema, isNetworkFault, type FaultSpec } from '../../runner/faults/spec.ts';

const FAULTS_DIR = join(import.meta.dirname, '../../runner/faults');
const TOXICS_DIR = join(FAULTS_DIR, 'network/toxics');
/** files of the toxics folder that are not a toxic */
const NOT_TOXICS = ['index.ts', 'toxic.ts', 'scenario-fields.ts'];
/**
 * Known edges of a circle another lane removes: broker.ts still takes ActiveFault from
 * registry.ts (it should import ./active-fault.ts). Delete the entry when that lands; the test
 * below fails once it is no longer needed.
 */
const PENDING_EDGES: ReadonlyArray<readonly [string, string]> = []; // none left

// type level (npx tsc): the scenario's FaultSpec keeps each toxic's own fields
export const typedFault: FaultSpec = { type: 'latency', latencyMs: 1, jitterMs: 0, stream: 'both', toxicity: 1 };
// @ts-expect-error latencyMs is a number
export const wrongFault: FaultSpec = { type: 'latency', latencyMs: 'x', jitterMs: 0, stream: 'both', toxicity: 1 };

describe('runner/faults layout', () => {
  it('has no import circle', () => {
    const graph = importGraph(FAULTS_DIR);
    expect(graph.size).toBeGreaterThan(20);
    for (const [from, to] of PENDING_EDGES) graph.set(from, graph.get(from)!.filter((f) => f !== to));
    expect(findCircles(graph)).toEqual([]);
  });

  it('the pending exceptions are still needed', () => {
    const graph = importGraph(FAULTS_DIR);
    for (const [from, to] of PENDING_EDGES) expect(graph.get(from), `${from} → ${to} is gone: delete it from PENDING_EDGES`).toContain(to);
  });

  it('the scanner finds a circle when there is one', () => {
    const graph = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]]);
    expect(findCircles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
    const real = importGraph(FAULTS_DIR);
    expect(real.get('network/direction.ts')).toContain('network/toxics/index.ts'); // it reads real imports
  });

  it('the fault proxy does not load zod (scenario schemas are built by spec.ts)', () => {
    const graph = importGraph(FAULTS_DIR);
    const reached = new Set<string>();
    const walk = (file: string): void => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const next of graph.get(file) ?? []) walk(next);
    };
    walk('network/index.ts');
    const zodAtRuntime = [...reached].filter((file) => /^import\s+(?!type\b)[^;]*from\s+'zod'/m.test(readFileSync(join(FAULTS_DIR, file), 'utf8')));
    expect(zodAtRuntime).toEqual([]);
  });

  it('registers every toxic file, once, and each is a network fault of the scenario', async () => {
    const files = readdirSync(TOXICS_DIR).filter((f) => f.endsWith('.ts') && !NOT_TOXICS.includes(f));
    const defined = [];
    for (const file of files) {
      const module = (await import(join(TOXICS_DIR, file))) as Record<string, unknown>;
      const exported = Object.values(module).filter((v) => typeof v === 'object' && v !== null && 'scenario' in v);
      expect(exported, `${file} exports one toxic`).toHaveLength(1);
      expect(TOXICS, `${file} is listed in network/toxics/index.ts`).toContain(exported[0]);
      defined.push(exported[0]);
    }
    expect(TOXICS).toHaveLength(files.length);
    expect(new Set(TOXICS.map((t) => t.type)).size).toBe(TOXICS.length);
    for (const toxic of TOXICS) {
      expect(isNetworkFault({ type: toxic.type })).toBe(true);
      const fault = toxic.scope === 'whole' ? { type: toxic.type } : { type: toxic.type, ...minimalFields(toxic.type) };
      const parsed = faultEntrySchema.safeParse({ at: '1s', target: 'broker', fault });
      expect(parsed.success, `${toxic.type}: ${parsed.error?.message}`).toBe(true);
      expect(Object.keys(toxic.toAttributes(parsed.data!.fault as never)).sort()).toEqual(Object.keys(toxic.attributes).sort());
      expect(toxic.scenario(z).shape.type.value).toBe(toxic.type);
    }
  });
});

/** The required scenario fields of each per-stream toxic. */
function minimalFields(type: string): Record<string, number> {
  const fields: Record<string, Record<string, number>> = {
    latency: { latencyMs: 10 },
    bandwidth: { rateKBps: 10 },
    slow_close: { delayMs: 10 },
    timeout: { timeoutMs: 10 },
    reset_peer: {},
    slicer: { averageSizeBytes: 10 },
    limit_data: { bytes: 10 },
  };
  expect(fields[type], `add ${type}'s required fields to minimalFields`).toBeDefined();
  return fields[type]!;
}
