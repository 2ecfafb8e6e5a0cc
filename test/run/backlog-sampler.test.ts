/** Backlog over time (pure parts and the sampler with a scripted probe) and the load's peak windows. */
import { describe, expect, it } from 'vitest';
import { startBacklogSampler, withBacklog } from '../../runner/run/backlog-sampler.ts';
import { peakWindows, rateAt } from '../../runner/load/peak.ts';
import type { BacklogProbe } from '../../runner/run/backlog/types.ts';
import { BACKLOG_PROBES } from '../../runner/run/backlog/registry.ts';

const point = (t: number) => ({ t, offered: 1, acknowledged: 1, committed: 1, errors: 0 });

describe('backlog over time', () => {
  it('puts each second\'s last sample on the timeline and extends it through the drain', () => {
    const samples = [
      { tMs: 100, total: 0, byFlow: { uploads: 0 } },
      { tMs: 1200, total: 5, byFlow: { uploads: 5 } },
      { tMs: 1900, total: 7, byFlow: { uploads: 7 } },
      { tMs: 3500, total: 0, byFlow: { uploads: 0 } },
    ];
    const timeline = withBacklog([point(0), point(1), point(2)], samples);
    expect(timeline.map((p) => p.backlog)).toEqual([0, 7, 7, 0]);
    expect(timeline[3]).toMatchObject({ t: 3, offered: 0, committed: 0 });
    expect(withBacklog([point(0)], [])).toEqual([point(0)]); // not sampled: unchanged
  });

  it('samples through the probe, sums per flow, skips a tick the broker does not answer', async () => {
    let calls = 0;
    const probe: BacklogProbe = {
      emulator: 'scripted',
      async read() {
        calls++;
        if (calls === 2) throw new Error('broker down');
        return [{ entity: 'q-uploads', flow: 'uploads', count: calls, detail: '' }, { entity: 'q-comments', flow: 'comments', count: 2, detail: '' }];
      },
    };
    let clock = 1000;
    const sampler = startBacklogSampler({ probe, endpoints: {}, subscribers: [], consumerHistories: [], startMs: 1000, intervalMs: 60_000, now: () => clock });
    await sampler.sample(); // the first sample, taken at the start (a call while one reads joins it)
    clock = 2500;
    await sampler.sample();
    clock = 3000;
    await sampler.sample();
    const samples = await sampler.stop();
    expect(samples.map((s) => s.total)).toEqual([3, 5, 6]);
    expect(samples.map((s) => s.tMs)).toEqual([0, 2000, 2000]);
    expect(samples[2]!.byFlow).toEqual({ uploads: 4, comments: 2, 'song-added': 0 });
  });

  it('direct has a probe too: always empty', async () => {
    expect(await BACKLOG_PROBES.direct.read({ endpoints: {}, received: new Map(), subscribers: [] })).toEqual([]);
  });
});

describe('peak windows', () => {
  it('finds where a ramp is at >= 90 % of its highest rate; a constant load has none', () => {
    const spec = { startRate: 0, stages: [{ duration: 2000, target: 10 }, { duration: 3000, target: 10 }, { duration: 2000, target: 0 }] };
    expect(rateAt(spec, 1000)).toBe(5);
    expect(rateAt(spec, 3000)).toBe(10);
    const load = { uploads: { ...spec, sizeBytes: { min: 1, max: 1 } }, comments: { ...spec, songs: 1 } };
    expect(peakWindows({ load, duration: 7000 } as never)).toEqual([{ startMs: 1800, endMs: 5300 }]);
    expect(peakWindows({ load: { uploads: { rate: 5, startRate: 0, sizeBytes: { min: 1, max: 1 } } }, duration: 5000 } as never)).toEqual([]);
  });
});
