/**
 * Measured round trips → a profile file in the format of profiles/named/*.json (kind
 * "calibrated"): per technology the target's tier and, per measured operation, p50 and p99
 * with where and when they were measured and how (sample count, the p99's order-statistic
 * interval). Pure; validated against the profile schema before anything is written.
 */
import { hostname } from 'node:os';
import { tiersOf } from '../../profiles/resolve.ts';
import type { ProfiledTech } from '../../profiles/model.ts';
import { PROFILE_VERSION, profileFileSchema, type ProfileFile, type TechOverride } from '../../profiles/schema.ts';
import { fromSamples, percentileInterval } from '../verdict/stats.ts';
import type { Samples } from './samples.ts';

export interface Measured {
  tech: ProfiledTech;
  /** the target's tier of this technology (target file) */
  tier: string;
  /** host of the endpoint measured, e.g. my-ns.servicebus.windows.net (no secret) */
  host: string;
  kind: string;
  samples: Samples;
  notMeasured: readonly string[];
}

const ms = (v: number) => Math.round(v * 100) / 100;

export interface OperationFigure { op: string; n: number; p50Ms: number; p99Ms: number; p99HighMs: number | null }

export function figuresOf(samples: Samples): OperationFigure[] {
  return Object.entries(samples).filter(([, values]) => values.length > 0).map(([op, values]) => {
    const source = fromSamples(values);
    const p50 = percentileInterval(source, 50)!;
    const p99 = percentileInterval(source, 99)!;
    return { op, n: values.length, p50Ms: ms(p50.estimateMs), p99Ms: ms(Math.max(p99.estimateMs, p50.estimateMs)), p99HighMs: p99.highMs === null ? null : ms(p99.highMs) };
  });
}

/** The tier the profile names: the target's when moshpit ships it, else the closest shipped one. */
export function profileTier(tech: ProfiledTech, tier: string): { tier: string; note?: string } {
  if (tiersOf(tech).includes(tier)) return { tier };
  const closest = tiersOf(tech).includes('premium') ? 'premium' : tiersOf(tech).at(-1)!;
  return { tier: closest, note: `${tech} ${tier} is not shipped as a tier; its quotas and limits are ${closest}'s` };
}

export function calibratedProfile(name: string, measured: Measured[], date: Date, from = hostname()): { profile: ProfileFile; notes: string[] } {
  const read = date.toISOString().slice(0, 10);
  const tiers: Partial<Record<ProfiledTech, TechOverride>> = {};
  const notes: string[] = [];
  for (const m of measured) {
    const { tier, note } = profileTier(m.tech, m.tier);
    if (note) notes.push(note);
    const latency: NonNullable<TechOverride['latency']> = {};
    for (const f of figuresOf(m.samples)) {
      latency[f.op] = {
        p50Ms: f.p50Ms, p99Ms: f.p99Ms,
        source: `moshpit calibrate against ${m.host} (${m.kind})`, read,
        basis: `measured: ${f.n} calls one at a time from ${from}; p99's 95% interval reaches ${f.p99HighMs === null ? 'beyond the largest sample (too few calls for a firm p99)' : `${f.p99HighMs} ms`}`,
      };
    }
    if (m.notMeasured.length) notes.push(`${m.tech}: ${m.notMeasured.join(', ')} not measured (the ${tier} tier's estimate stays)`);
    tiers[m.tech] = { tier, latency };
  }
  const techs = measured.map((m) => `${m.tech} (${m.host})`).join(', ');
  const profile = profileFileSchema.parse({
    version: PROFILE_VERSION,
    name,
    description: `Calibrated by moshpit calibrate on ${read}: latency measured against ${techs} from ${from}; quotas and limits are the tiers' (fixtures/<tech>/tiers).${notes.length ? ` ${notes.join('; ')}.` : ''}`,
    kind: 'calibrated',
    quotas: true,
    latency: true,
    tiers,
  });
  return { profile, notes };
}
