/**
 * The verdict on synthetic comparisons (hand-made cells and latency samples: the logic is pure).
 */
import { describe, expect, it } from 'vitest';
import type { CellEvidence } from '../../runner/verdict/evidence.ts';
import { fromSamples } from '../../runner/verdict/stats.ts';
import { tierFacts } from '../../profiles/tier-facts.ts';
import { decideFlows, type VerdictInput } from '../../runner/verdict/verdict.ts';

const TECHS = ['storage-queue', 'service-bus', 'event-hubs', 'event-grid'];
const FLOWS = ['uploads', 'comments', 'song-added'];
const SCENARIOS = ['baseline', 'broker-kill', 'consumer-crash'];

function cell(scenario: string, tech: string, flow: string, extra: Partial<CellEvidence> = {}): CellEvidence {
  const kind = flow === 'song-added' ? 'event' : 'message';
  const base: CellEvidence = { scenario, tech, flow, kind, status: 'completed', valid: true, e2eCount: 100, faults: [], ...(kind === 'event' ? { fanOutMissing: 0 } : { lost: 0, inversions: flow === 'comments' ? 0 : undefined }) };
  return { ...base, ...extra };
}

function input(overrides: Partial<VerdictInput> = {}, cellFix: (c: CellEvidence) => CellEvidence = (c) => c): VerdictInput {
  const cells = SCENARIOS.flatMap((s) => TECHS.flatMap((t) => FLOWS.map((f) => cellFix(cell(s, t, f)))));
  const samples = new Map(TECHS.map((t, i) => [t, Array.from({ length: 400 }, (_, k) => 10 + ((k * 37 + i) % 100) / 10)]));
  return {
    flows: FLOWS,
    techs: TECHS,
    cells,
    latency: (tech) => fromSamples(samples.get(tech)!),
    latencyBasis: 'baseline',
    tiers: { 'storage-queue': tierFacts('storage-queue', 'standard'), 'service-bus': tierFacts('service-bus', 'standard'), 'event-hubs': tierFacts('event-hubs', 'standard'), 'event-grid': tierFacts('event-grid', 'basic') },
    latencyRepresentative: true,
    ...overrides,
  };
}

const byFlow = (verdicts: ReturnType<typeof decideFlows>, flow: string) => verdicts.find((v) => v.flow === flow)!;

describe('promises decide before any measurement', () => {
  it('comments are never recommended on Storage Queues or Event Grid, with the documented reason, even when runs showed no inversion', () => {
    const comments = byFlow(decideFlows(input()), 'comments');
    for (const tech of ['storage-queue', 'event-grid']) {
      const t = comments.techs.find((v) => v.tech === tech)!;
      expect(t.fit).toBe(false);
      expect(t.measured.ok).toBe(true); // the runs were clean: the promise still decides
      expect(t.reasons[0]).toMatch(/does not promise per-key order/);
      const order = t.promise.items.find((i) => i.promise === 'orderingPerKey')!;
      expect(order.value).toBe('no');
      expect(order.source.url).toMatch(/^https:\/\/learn\.microsoft\.com\//);
      expect(order.source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    expect(comments.fits.sort()).toEqual(['event-hubs', 'service-bus']);
    expect(comments.recommended === null || ['service-bus', 'event-hubs'].includes(comments.recommended)).toBe(true);
    expect(comments.conclusion).toMatch(/Not recommended: storage-queue \(storage-queue does not promise per-key order/);
  });

  it('the tier matters: Service Bus Basic has no sessions or topics, Event Hubs Basic has one consumer group', () => {
    const verdicts = decideFlows(input({ tiers: { 'service-bus': tierFacts('service-bus', 'basic'), 'event-hubs': tierFacts('event-hubs', 'basic') } }));
    expect(byFlow(verdicts, 'comments').techs.find((t) => t.tech === 'service-bus')!.reasons[0]).toMatch(/basic tier has no sessions/);
    expect(byFlow(verdicts, 'song-added').techs.find((t) => t.tech === 'event-hubs')!.reasons[0]).toMatch(/basic tier allows 1 consumergroups/);
    expect(byFlow(verdicts, 'song-added').techs.find((t) => t.tech === 'storage-queue')!.fit).toBe(false); // no fan-out
  });
});

describe('measured across the suite', () => {
  it('a technology that lost acknowledged messages in any scenario is not recommended for that flow, the scenario named', () => {
    const verdicts = decideFlows(input({}, (c) => (c.tech === 'service-bus' && c.flow === 'uploads' && c.scenario === 'broker-kill' ? { ...c, lost: 3, valid: false } : c)));
    const uploads = byFlow(verdicts, 'uploads');
    const sb = uploads.techs.find((t) => t.tech === 'service-bus')!;
    expect(sb.fit).toBe(false);
    expect(sb.reasons).toContain('service-bus lost 3 acknowledged uploads in scenario broker-kill');
    expect(uploads.recommended).not.toBe('service-bus');
    expect(uploads.conclusion).toContain('broker-kill');
    // the other flows of the same technology are judged on their own evidence
    expect(byFlow(verdicts, 'comments').techs.find((t) => t.tech === 'service-bus')!.fit).toBe(true);
  });

  it('missing event deliveries disqualify for the event flow; duplicates are only caveats', () => {
    const verdicts = decideFlows(input({}, (c) => {
      if (c.tech === 'event-grid' && c.flow === 'song-added' && c.scenario === 'consumer-crash') return { ...c, fanOutMissing: 2 };
      if (c.tech === 'storage-queue' && c.flow === 'uploads') return { ...c, duplicatedProcessing: 4 };
      return c;
    }));
    expect(byFlow(verdicts, 'song-added').techs.find((t) => t.tech === 'event-grid')!.reasons).toContain('event-grid 2 subscriber deliveries never arrived in scenario consumer-crash');
    const sq = byFlow(verdicts, 'uploads').techs.find((t) => t.tech === 'storage-queue')!;
    expect(sq.fit).toBe(true);
    expect(sq.measured.caveats[0]).toEqual({ scenario: 'baseline', what: '4 processed twice' });
  });
});

describe('latency decides only when intervals separate and the profile is representative', () => {
  it('a message flow prefers technologies that promise it outright: Event Hubs and Event Grid are ranked after, even when faster', () => {
    const fast = fromSamples(Array.from({ length: 2000 }, (_, k) => 1 + (k % 10) / 10));
    const slow = fromSamples(Array.from({ length: 2000 }, (_, k) => 50 + (k % 10)));
    const uploads = byFlow(decideFlows(input({ latency: (tech) => (tech === 'event-grid' ? fast : slow) })), 'uploads');
    expect(uploads.fits.sort()).toEqual(TECHS.slice().sort()); // all four can carry it...
    expect(uploads.recommended).toBeNull(); // ...but the latency winner only counts among storage-queue and service-bus (tied)
    expect(uploads.conclusion).toMatch(/Ranked after them \(promise only with conditions\): event-hubs: a stream, not a queue.*; event-grid: Microsoft positions Event Grid for events/);
  });

  it('same distribution → no measurable difference; then the cheapest fit is picked when costs are known', () => {
    const uploads = byFlow(decideFlows(input()), 'uploads');
    expect(uploads.latency.p50.winner).toBeNull();
    expect(uploads.latency.text).toMatch(/^no measurable difference/);
    expect(uploads.recommended).toBeNull();
    const withCost = byFlow(decideFlows(input({ monthlyCostUsd: { 'storage-queue': 1, 'service-bus': 10, 'event-hubs': 22, 'event-grid': 3 } })), 'uploads');
    expect(withCost).toMatchObject({ recommended: 'storage-queue', decidedBy: 'cost' });
    expect(byFlow(decideFlows(input({ monthlyCostUsd: { 'storage-queue': 9, 'service-bus': 10, 'event-hubs': 22, 'event-grid': 1 } })), 'uploads').recommended).toBe('storage-queue'); // a cheaper conditional one does not win
  });

  it('separated distributions → a winner; with the ideal profile latency never decides', () => {
    // 2000 samples: enough for a closed p99 interval (with 400 its upper rank is past the largest sample)
    const fast = fromSamples(Array.from({ length: 2000 }, (_, k) => 5 + (k % 10) / 10));
    const slow = fromSamples(Array.from({ length: 2000 }, (_, k) => 50 + (k % 10)));
    const latency = (tech: string) => (tech === 'service-bus' ? fast : slow);
    const verdicts = byFlow(decideFlows(input({ latency })), 'uploads');
    expect(verdicts).toMatchObject({ recommended: 'service-bus', decidedBy: 'latency' });
    expect(verdicts.latency.p99.winner).toBe('service-bus');
    const few = (tech: string) => fromSamples(Array.from({ length: 400 }, (_, k) => (tech === 'service-bus' ? 5 : 50) + (k % 10)));
    const fewVerdict = byFlow(decideFlows(input({ latency: few })), 'uploads');
    expect(fewVerdict.latency.p99.winner).toBeNull(); // open p99 intervals at n=400
    expect(fewVerdict.latency.text).toMatch(/faster at p50 .* at p99 no measurable difference/);
    const ideal = byFlow(decideFlows(input({ latency, latencyRepresentative: false })), 'uploads');
    expect(ideal.decidedBy).not.toBe('latency');
    expect(ideal.latency.text).toMatch(/NOT representative of Azure/);
  });
});
