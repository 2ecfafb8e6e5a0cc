/**
 * The shipped tier files as plain facts (features, limits, quotas, the page they come from): a
 * profile names a tier per technology, and these are that tier's documented values. Pure, so
 * the same code runs in the report (browser) and in `compare` (node); each side reads the tier
 * files its own way (fixtures/<tech>/tiers/*.json): profiles/tier-facts.ts from disk, the
 * report's data/tiers.ts through Vite's import.meta.glob. Neither names a technology.
 */
export interface RawTier {
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

/** One tier file's facts (a source key it does not define reads "unknown"). */
export function facts(raw: RawTier): TierFacts {
  const src = (key: string) => raw.sources[key] ?? { url: 'unknown', read: 'unknown' };
  const features: TierFacts['features'] = {};
  for (const [k, v] of Object.entries(raw.features)) features[k] = { value: v.value, ...src(v.src) };
  const limits: TierFacts['limits'] = {};
  for (const [k, v] of Object.entries(raw.limits)) limits[k] = { value: v.value, ...src(v.src) };
  const quotas = Object.entries(raw.quotas).map(([key, q]) => ({ key, perSecond: q.value, perUnit: q.perUnit === true, scope: q.scope, unit: q.unit, ...src(q.src), ...(q.note ? { note: q.note } : {}) }));
  return { tech: raw.tech, tier: raw.tier, ...(raw.units ? { unitName: raw.units.name } : {}), features, limits, quotas };
}

/** Looks tiers up by technology and tier name in a set of tier files; undefined for a tier not shipped. */
export type TierLookup = (tech: string, tier: string) => TierFacts | undefined;

export function tierLookup(raws: readonly RawTier[]): TierLookup {
  const byKey = new Map(raws.map((raw) => [`${raw.tech}/${raw.tier}`, facts(raw)]));
  return (tech, tier) => byKey.get(`${tech}/${tier}`);
}
