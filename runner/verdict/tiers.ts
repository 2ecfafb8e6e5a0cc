/**
 * The shipped tier files as plain facts (features, limits, quotas, the page they come from),
 * imported statically so the same code runs in the report (browser) and in `compare` (node).
 * A profile names a tier per technology; these are that tier's documented values.
 */
import sqStandard from '../../profiles/tiers/storage-queue/standard.json' with { type: 'json' };
import sbBasic from '../../profiles/tiers/service-bus/basic.json' with { type: 'json' };
import sbStandard from '../../profiles/tiers/service-bus/standard.json' with { type: 'json' };
import sbPremium from '../../profiles/tiers/service-bus/premium.json' with { type: 'json' };
import ehBasic from '../../profiles/tiers/event-hubs/basic.json' with { type: 'json' };
import ehStandard from '../../profiles/tiers/event-hubs/standard.json' with { type: 'json' };
import ehPremium from '../../profiles/tiers/event-hubs/premium.json' with { type: 'json' };
import egBasic from '../../profiles/tiers/event-grid/basic.json' with { type: 'json' };

interface RawTier {
  tech: string;
  tier: string;
  sources: Record<string, { url: string; read: string }>;
  units?: { name: string; default: number };
  limits: Record<string, { value: number; src: string }>;
  features: Record<string, { value: boolean; src: string }>;
  quotas: Record<string, { value: number; perUnit?: boolean; scope: string; unit: string; src: string; note?: string }>;
}

export interface TierQuota {
  key: string;
  /** per second for ONE unit when perUnit */
  perSecond: number;
  perUnit: boolean;
  scope: string;
  unit: string;
  url: string;
  read: string;
  note?: string;
}

export interface TierFacts {
  tech: string;
  tier: string;
  unitName?: string;
  features: Record<string, { value: boolean; url: string; read: string }>;
  limits: Record<string, { value: number; url: string; read: string }>;
  quotas: TierQuota[];
}

const RAW: RawTier[] = [sqStandard, sbBasic, sbStandard, sbPremium, ehBasic, ehStandard, ehPremium, egBasic] as RawTier[];

function facts(raw: RawTier): TierFacts {
  const src = (key: string) => raw.sources[key] ?? { url: 'unknown', read: 'unknown' };
  const features: TierFacts['features'] = {};
  for (const [k, v] of Object.entries(raw.features)) features[k] = { value: v.value, ...src(v.src) };
  const limits: TierFacts['limits'] = {};
  for (const [k, v] of Object.entries(raw.limits)) limits[k] = { value: v.value, ...src(v.src) };
  const quotas = Object.entries(raw.quotas).map(([key, q]) => ({ key, perSecond: q.value, perUnit: q.perUnit === true, scope: q.scope, unit: q.unit, ...src(q.src), ...(q.note ? { note: q.note } : {}) }));
  return { tech: raw.tech, tier: raw.tier, ...(raw.units ? { unitName: raw.units.name } : {}), features, limits, quotas };
}

const BY_KEY = new Map(RAW.map((raw) => [`${raw.tech}/${raw.tier}`, facts(raw)]));

/** The tier's facts, or undefined for a tier moshpit does not ship. */
export function tierFacts(tech: string, tier: string): TierFacts | undefined {
  return BY_KEY.get(`${tech}/${tier}`);
}
