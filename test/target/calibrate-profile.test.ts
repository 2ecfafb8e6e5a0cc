/** calibrate's pure half: samples → figures → a profile file (no I/O). */
import { describe, expect, it } from 'vitest';
import { calibratedProfile, figuresOf, profileTier } from '../../runner/calibrate/profile.ts';

const ramp = (n: number, scale = 1) => Array.from({ length: n }, (_, i) => (i + 1) * scale);

describe('calibrated profile', () => {
  it('takes nearest-rank p50 / p99 and says when p99 has too few samples', () => {
    const [few] = figuresOf({ send: ramp(100) });
    expect(few).toMatchObject({ op: 'send', n: 100, p50Ms: 50, p99Ms: 99, p99HighMs: null });
    const [many] = figuresOf({ send: ramp(2000, 0.5) });
    expect(many!.p50Ms).toBe(500);
    expect(many!.p99HighMs).not.toBeNull();
    expect(figuresOf({ none: [] })).toEqual([]);
  });

  it('names a shipped tier, or the closest with a note (Event Hubs dedicated → premium)', () => {
    expect(profileTier('service-bus', 'premium')).toEqual({ tier: 'premium' });
    expect(profileTier('event-hubs', 'dedicated')).toMatchObject({ tier: 'premium', note: expect.stringContaining('dedicated is not shipped') });
  });

  it('writes kind calibrated, every value with source, date and basis', () => {
    const { profile, notes } = calibratedProfile('calibrated-x', [
      { tech: 'event-hubs', tier: 'dedicated', host: 'ns.servicebus.windows.net', kind: 'azure', samples: { send: ramp(20), receive: ramp(20, 2) }, notMeasured: [] },
      { tech: 'event-grid', tier: 'basic', host: 't.westeurope-1.eventgrid.azure.net', kind: 'azure', samples: { publish: ramp(20) }, notMeasured: ['pushDelivery'] },
    ], new Date('2026-12-03T10:00:00Z'), 'ci-host');
    expect(profile).toMatchObject({ version: 1, name: 'calibrated-x', kind: 'calibrated', quotas: true, latency: true });
    expect(profile.tiers['event-hubs']).toMatchObject({ tier: 'premium', latency: { send: { p50Ms: 10, p99Ms: 20, source: 'moshpit calibrate against ns.servicebus.windows.net (azure)', read: '2026-12-03' } } });
    expect(profile.tiers['event-hubs']!.latency!.receive!.basis).toContain('20 calls one at a time from ci-host');
    expect(profile.tiers['storage-queue']).toBeUndefined();
    expect(notes).toEqual([expect.stringContaining('dedicated'), 'event-grid: pushDelivery not measured (the basic tier\'s estimate stays)']);
    expect(profile.description).toContain('pushDelivery not measured');
  });
});
