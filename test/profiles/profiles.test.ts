import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { BUILTIN_PROFILES, loadTier, resolveProfile, tiersOf } from '../../profiles/resolve.ts';
import { hasFeature, latencyOf, limitOf, quotaRate } from '../../profiles/model.ts';
import { summarizeProfile } from '../../profiles/describe.ts';
import { TECHS } from '../../runner/techs.ts';

describe('shipped tier files', () => {
  it('validate, and every value names a Microsoft page and the date it was read (or is marked an estimate)', () => {
    for (const tech of TECHS) {
      for (const tierName of tiersOf(tech)) {
        const tier = loadTier(tech, tierName);
        expect(tier.tech).toBe(tech);
        const entries = [...Object.values(tier.limits), ...Object.values(tier.features), ...Object.values(tier.quotas), ...Object.values(tier.latency)];
        expect(entries.length).toBeGreaterThan(0);
        for (const entry of entries) {
          const src = tier.sources[entry.src];
          expect(src, `${tech}/${tierName}: source ${entry.src}`).toBeDefined();
          expect(src!.url).toMatch(/^https:\/\/(learn\.microsoft\.com|azure\.microsoft\.com)\//);
          expect(src!.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        }
        // no Microsoft figure for per-operation latency: every latency value says it is an estimate
        for (const latency of Object.values(tier.latency)) expect(latency.estimate).toBeTruthy();
      }
    }
  });
});

describe('resolveProfile', () => {
  it('resolves every shipped profile for every technology', () => {
    for (const name of BUILTIN_PROFILES) {
      const profile = resolveProfile(name);
      expect(profile.name).toBe(name);
      for (const tech of TECHS) expect(profile.techs[tech].tech).toBe(tech);
    }
  });

  it('ideal enforces no quota and adds no latency; standard does', () => {
    const ideal = resolveProfile('ideal').techs['event-hubs'];
    const standard = resolveProfile('standard').techs['event-hubs'];
    expect(quotaRate(ideal, 'ingressEventsPerSecond')).toBeUndefined();
    expect(latencyOf(ideal, 'send')).toBeUndefined();
    expect(quotaRate(standard, 'ingressEventsPerSecond')).toBe(1000);
    expect(latencyOf(standard, 'send')?.origin).toBe('estimate');
    expect(limitOf(ideal, 'maxEventBytes')).toBe(1048576);
  });

  it('applies units to per-unit quotas and tier overrides from the scenario', () => {
    const profile = resolveProfile('standard', { 'event-hubs': { units: 4 }, 'service-bus': { tier: 'premium' } });
    expect(quotaRate(profile.techs['event-hubs'], 'ingressEventsPerSecond')).toBe(4000);
    expect(limitOf(profile.techs['service-bus'], 'maxMessageBytes')).toBe(100 * 1024 * 1024);
    expect(profile.techs['service-bus'].limits.maxMessageBytes!.origin).toBe('documented');
  });

  it('knows Basic has no sessions or topics and Premium takes 100 MB messages', () => {
    const basic = resolveProfile('basic').techs['service-bus'];
    expect(hasFeature(basic, 'sessions')).toBe(false);
    expect(hasFeature(basic, 'topics')).toBe(false);
    expect(limitOf(resolveProfile('basic').techs['event-hubs'], 'maxConsumerGroups')).toBe(1);
    expect(hasFeature(resolveProfile('standard').techs['service-bus'], 'sessions')).toBe(true);
  });

  it('reports every problem at once, naming the field and the fix', () => {
    expect(() => resolveProfile('standard', { 'service-bus': { tier: 'gold' }, 'event-hubs': { units: 99 } })).toThrow(
      /service-bus\.tier: unknown tier "gold".*use one of basic, standard, premium[\s\S]*event-hubs\.units: event-hubs standard takes 1\.\.40 throughput units, not 99/,
    );
    expect(() => resolveProfile('gold')).toThrow(/--profile gold: no such profile; use one of ideal, standard, premium, basic/);
  });

  it('reads a profile file (a calibrated one) and marks its values calibrated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'moshpit-profile-'));
    const file = join(dir, 'calibrated.json');
    writeFileSync(file, JSON.stringify({ version: 1, name: 'westeurope', description: 'calibrated', kind: 'calibrated', quotas: true, latency: true, tiers: { 'service-bus': { tier: 'standard', latency: { send: { p50Ms: 12, p99Ms: 40, source: 'sb://x.servicebus.windows.net', read: '2026-12-03' } } } } }));
    const profile = resolveProfile(file);
    expect(profile.kind).toBe('calibrated');
    expect(latencyOf(profile.techs['service-bus'], 'send')).toMatchObject({ p50Ms: 12, p99Ms: 40, origin: 'calibrated', source: 'sb://x.servicebus.windows.net' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ version: 2, name: 'Bad Name', quotas: 'yes', latency: true, tiers: {} }));
    expect(() => resolveProfile(bad)).toThrow(/version: expected version 1[\s\S]*name: expected a lowercase name[\s\S]*description[\s\S]*quotas: expected true/);
  });

  it('summarizes the profile for results.json with its estimates and sources', () => {
    const summary = summarizeProfile(resolveProfile('standard'), ['event-hubs']);
    expect(summary).toMatchObject({ name: 'standard', quotas: true, latency: true, tiers: { 'event-hubs': { tier: 'standard', units: 1, unitName: 'throughput units' } } });
    expect(summary.tiers['event-hubs']!.estimates).toContain('send');
    expect(summary.tiers['event-hubs']!.sources.every((s) => s.startsWith('https://'))).toBe(true);
  });
});
