/** The k6 plan and output conversion (pure): same schedule as the builtin engine, clear errors. */
import { describe, expect, it } from 'vitest';
import type { HopRecord } from '../../../runner/contracts/history.ts';
import { arrivalOffsetsMs, countArrivals } from '../../../runner/load/arrival.ts';
import { K6HistoryConverter, K6OutputError } from '../../../runner/load/k6/convert.ts';
import { buildK6Plan, intendedOffsetMs, scheduledCount } from '../../../runner/load/k6/plan.ts';
import { segmentArgs } from '../../../runner/load/k6/process.ts';
import { scenarioSchema } from '../../../runner/scenario/schema.ts';

const scenario = scenarioSchema.parse({
  name: 'p', description: 'd', seed: 1, duration: '3s', drainLimit: '10s',
  load: {
    uploads: { stages: [{ duration: '1s', target: 10 }, { duration: '2s', target: 4 }], sizeBytes: 2000, maxSongs: 12 },
    comments: { rate: 2.5, songs: 2 },
  },
  backend: {},
});

describe('k6 plan', () => {
  const plan = buildK6Plan(scenario, { baseUrl: 'http://x', opIdPrefix: 'b0' });

  it('offers the builtin schedule: same constant-rate counts and offsets; k6 ramps shifted by one operation', () => {
    expect(plan.uploads!.limit).toBe(12); // maxSongs caps the ramp
    expect(plan.comments!.limit).toBe(countArrivals(scenario.load.comments!, scenario.duration));
    expect(plan.comments!.limit).toBe(8);
    const constant = [...arrivalOffsetsMs(scenario.load.comments!, scenario.duration)];
    constant.forEach((offset, i) => expect(intendedOffsetMs(plan.comments!, i)).toBeCloseTo(offset, 6));
    // k6 ramping-arrival-rate starts iteration i where the rate's integral reaches i + 1
    const ramp = [...arrivalOffsetsMs(scenario.load.uploads!, scenario.duration)];
    expect(ramp.length).toBe(19); // integral 5 + 14
    expect(scheduledCount(plan.uploads!, scenario.duration)).toBe(18);
    for (let i = 0; i < 18; i++) expect(intendedOffsetMs(plan.uploads!, i)).toBeCloseTo(ramp[i + 1]!, 6);
    expect(intendedOffsetMs(plan.uploads!, 0)).toBeCloseTo(Math.sqrt(1 / 5) * 1000, 6); // 5 t² = 1
  });

  it('splits into execution segments that cover 0..1', () => {
    expect(segmentArgs(0, 1)).toEqual([]);
    expect(segmentArgs(1, 3)).toEqual(['--execution-segment', '1/3:2/3', '--execution-segment-sequence', '0,1/3,2/3,1']);
  });
});

describe('k6 output conversion', () => {
  const plan = buildK6Plan(scenario, { baseUrl: 'http://x', opIdPrefix: 'b0', songIds: ['s0', 's1'] });

  it('turns sent/acked lines into intended/sent/acked and missing iterations into dropped', () => {
    const records: HopRecord[] = [];
    const converter = new K6HistoryConverter(plan);
    const lines = [
      { h: 'sent', op: 'b0-c1', f: 'comments', k: 's1', t: 1500, i: 1, s0: 1000, seq: 1 },
      { h: 'acked', op: 'b0-c1', f: 'comments', k: 's1', t: 1510, st: 202 },
    ].map((l) => JSON.stringify(l)).join('\n');
    converter.addText(lines, 'seg0', (r) => records.push(r));
    const counters = converter.finish(1000, (r) => records.push(r));
    // k6 times are whole ms: each is read as the middle of its millisecond
    expect(records[0]).toMatchObject({ h: 'intended', op: 'b0-c1', t: 1400.5, seq: 1 });
    expect(records[1]).toMatchObject({ h: 'sent', t: 1500.5 });
    expect(records[2]).toMatchObject({ h: 'acked', st: 202 });
    expect(counters).toMatchObject({ offered: 20, sent: 1, acknowledged: 1, dropped: 19 });
    const dropped = records.filter((r) => r.h === 'dropped').map((r) => r.op);
    expect(dropped).toContain('b0-c0');
    expect(dropped).not.toContain('b0-c1');
    expect(new Set(dropped).size).toBe(19);
  });

  it('rejects garbage with the file and line', () => {
    const converter = new K6HistoryConverter(plan);
    expect(() => converter.addText('{"h":"sent"}\nnot json at all\n', 'seg0.jsonl', () => undefined)).toThrow(K6OutputError);
    expect(() => converter.addText('hello\n{}\n', 'seg0.jsonl', () => undefined)).toThrow(/seg0\.jsonl:1: not a JSON line/);
  });
});

describe('k6 progress tail', () => {
  it('counts complete lines once, a line being written on the next poll', async () => {
    const { appendFileSync, mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { K6ProgressTail } = await import('../../../runner/load/k6/progress.ts');
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-k6-tail-'));
    try {
      const file = join(dir, 'segment-0.jsonl');
      const tail = new K6ProgressTail([file, join(dir, 'absent.jsonl')]);
      expect(tail.poll(0).sent).toBe(0);
      appendFileSync(file, '{"h":"sent","op":"b0-u0","f":"uploads"}\n{"h":"acked","op":"b0-u0"}\n{"h":"sent","op":"b0-s0","f":"uploads"}\n{"h":"sent","op":"b0-c');
      expect(tail.poll(1000)).toMatchObject({ sent: 1, acknowledged: 1, inFlight: 0 });
      appendFileSync(file, '3","f":"comments"}\n');
      expect(tail.poll(2000)).toMatchObject({ sent: 2, acknowledged: 1, inFlight: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
