/**
 * The shapes of the profile data files (zod): a tier file (fixtures/<tech>/tiers/<tier>.json,
 * every value citing a source by key), a profile file (profiles/named/<name>.json, a user's or
 * a calibrated one: which tier of each technology, with optional per-technology overrides) and
 * the overrides a scenario gives (`azure.overrides`).
 */
import { z } from 'zod';
import { PROFILED_TECHS as TECHS } from './model.ts';

export const PROFILE_VERSION = 1;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected the date it was read, YYYY-MM-DD' });
const source = z.strictObject({ url: z.url({ error: 'expected the URL of the page the values come from' }), read: date, title: z.string().optional() });
const common = { src: z.string({ error: 'name the source (a key of "sources")' }), estimate: z.string().optional(), note: z.string().optional() };
const nonNegative = z.number({ error: 'expected a number' }).nonnegative({ error: 'expected a number >= 0' });

export const tierFileSchema = z.strictObject({
  version: z.literal(PROFILE_VERSION, { error: `expected version ${PROFILE_VERSION}` }),
  tech: z.enum(TECHS),
  tier: z.string().regex(/^[a-z0-9-]+$/),
  description: z.string().min(1),
  sources: z.record(z.string(), source),
  units: z.strictObject({ name: z.string(), default: z.number().int().positive(), allowed: z.array(z.number().int().positive()).min(1), range: z.boolean().optional(), src: z.string() }).optional(),
  limits: z.record(z.string(), z.strictObject({ value: nonNegative, ...common })),
  features: z.record(z.string(), z.strictObject({ value: z.boolean(), ...common })),
  quotas: z.record(z.string(), z.strictObject({ value: z.number().positive(), perUnit: z.boolean().optional(), scope: z.string(), unit: z.string(), ...common })),
  latency: z.record(z.string(), z.strictObject({ p50Ms: nonNegative, p99Ms: nonNegative, ...common })),
  unmodelled: z.array(z.string()).default([]),
});
export type TierFile = z.output<typeof tierFileSchema>;

/** A value a user or calibration supplies instead of the tier's: a bare number, or one with its source. */
const overrideNumber = z.union([
  nonNegative,
  z.strictObject({ value: nonNegative, source: z.string().optional(), read: date.optional(), basis: z.string().optional() }),
]);
const overrideLatency = z
  .strictObject({ p50Ms: nonNegative, p99Ms: nonNegative, source: z.string().optional(), read: date.optional(), basis: z.string().optional() })
  .refine((l) => l.p99Ms >= l.p50Ms, { error: 'p99Ms must be >= p50Ms' });

export const techOverrideSchema = z.strictObject({
  tier: z.string().optional(),
  units: z.number({ error: 'expected a whole number of units' }).int({ error: 'expected a whole number of units' }).positive({ error: 'expected at least 1 unit' }).optional(),
  limits: z.record(z.string(), overrideNumber).optional(),
  quotas: z.record(z.string(), z.number().positive({ error: 'expected a rate per second > 0' })).optional(),
  features: z.record(z.string(), z.boolean()).optional(),
  latency: z.record(z.string(), overrideLatency).optional(),
});
export type TechOverride = z.output<typeof techOverrideSchema>;

export const overridesSchema = z.partialRecord(z.enum(TECHS, { error: `expected a technology: ${TECHS.join(', ')}` }), techOverrideSchema);
export type ProfileOverrides = z.output<typeof overridesSchema>;

export const profileFileSchema = z.strictObject({
  version: z.literal(PROFILE_VERSION, { error: `expected version ${PROFILE_VERSION}` }),
  name: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, { error: 'expected a lowercase name of letters, digits, dots and dashes' }),
  description: z.string().min(1, { error: 'say what the profile models' }),
  kind: z.enum(['builtin', 'file', 'calibrated']).optional(),
  quotas: z.boolean({ error: 'expected true (enforce the tiers\' quotas) or false' }),
  latency: z.boolean({ error: 'expected true (apply the latency model) or false' }),
  tiers: overridesSchema,
});
export type ProfileFile = z.output<typeof profileFileSchema>;
