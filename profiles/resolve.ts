/**
 * Resolves a profile reference (a shipped name or a JSON file) plus overrides into the
 * ResolvedProfile every emulator and the report read. All problems are reported at once as one
 * UserError naming the field and the fix.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { relative, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../runner/contracts/errors.ts';
import { PROFILED_TECHS, type ProfiledTech } from './model.ts';
import type { Origin, ProfileFlag, ProfileLatency, ProfileNumber, ProfileQuota, ResolvedProfile, TechProfile } from './model.ts';
import { profileFileSchema, tierFileSchema, type ProfileFile, type ProfileOverrides, type TechOverride, type TierFile } from './schema.ts';

export const BUILTIN_PROFILES = ['ideal', 'standard', 'premium', 'basic'] as const;
const DIR = fileURLToPath(new URL('.', import.meta.url));
const tierCache = new Map<string, TierFile>();

function issuesOf(error: { issues: { path: PropertyKey[]; message: string }[] }, prefix: string): string[] {
  return error.issues.map((i) => `${[prefix, ...i.path.map(String)].filter(Boolean).join('.')}: ${i.message}`);
}

/** Where a technology's tier files are: its folder's tiers/ (fixtures/<tech>/tiers/<tier>.json). */
const tiersDir = (tech: string) => fileURLToPath(new URL(`../fixtures/${tech}/tiers/`, import.meta.url));
/** Azure's tier names from the smallest up; another name sorts after them, alphabetically. */
const TIER_ORDER = ['basic', 'standard', 'premium', 'dedicated'];
const rank = (tier: string) => (TIER_ORDER.includes(tier) ? TIER_ORDER.indexOf(tier) : TIER_ORDER.length);

/** The tiers shipped for a technology (the tier files in its folder), smallest first. */
export function tiersOf(tech: ProfiledTech): string[] {
  const dir = tiersDir(tech);
  if (!existsSync(dir)) return [];
  const tiers = readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length));
  return tiers.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

export function loadTier(tech: ProfiledTech, tier: string): TierFile {
  const key = `${tech}/${tier}`;
  const cached = tierCache.get(key);
  if (cached) return cached;
  const parsed = tierFileSchema.safeParse(JSON.parse(readFileSync(`${tiersDir(tech)}${tier}.json`, 'utf8')));
  if (!parsed.success) throw new Error(`fixtures/${tech}/tiers/${tier}.json is invalid: ${issuesOf(parsed.error, '').join('; ')}`);
  tierCache.set(key, parsed.data);
  return parsed.data;
}

function sourced(tier: TierFile, entry: { src: string; estimate?: string; note?: string }): { source: string; read: string; origin: Origin; basis?: string; note?: string } {
  const src = tier.sources[entry.src];
  if (!src) throw new Error(`fixtures/${tier.tech}/tiers/${tier.tier}.json: unknown source "${entry.src}"`);
  return { source: src.url, read: src.read, origin: entry.estimate ? 'estimate' : 'documented', ...(entry.estimate ? { basis: entry.estimate } : {}), ...(entry.note ? { note: entry.note } : {}) };
}

const overrideProvenance = (from: string, given?: { source?: string; read?: string; basis?: string }, calibrated = false) => ({
  source: given?.source ?? from,
  read: given?.read ?? new Date().toISOString().slice(0, 10),
  origin: calibrated ? ('calibrated' as const) : ('override' as const),
  ...(given?.basis ? { basis: given.basis } : {}),
});

function techProfile(tier: TierFile, file: ProfileFile, override: TechOverride, from: string, calibrated: boolean): TechProfile {
  const map = <T, R>(record: Record<string, T>, f: (value: T) => R) => Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v)]));
  const limits: Record<string, ProfileNumber> = map(tier.limits, (l) => ({ value: l.value, ...sourced(tier, l) }));
  for (const [key, given] of Object.entries(override.limits ?? {})) {
    limits[key] = typeof given === 'number' ? { value: given, ...overrideProvenance(from, undefined, calibrated) } : { value: given.value, ...overrideProvenance(from, given, calibrated) };
  }
  const features: Record<string, ProfileFlag> = map(tier.features, (f) => ({ value: f.value, ...sourced(tier, f) }));
  for (const [key, value] of Object.entries(override.features ?? {})) features[key] = { value, ...overrideProvenance(from, undefined, calibrated) };
  const quotas: Record<string, ProfileQuota> = map(tier.quotas, (q) => ({ value: q.value, perUnit: q.perUnit ?? false, scope: q.scope, unit: q.unit, ...sourced(tier, q) }));
  for (const [key, value] of Object.entries(override.quotas ?? {})) {
    const base = quotas[key];
    quotas[key] = { perUnit: false, scope: base?.scope ?? 'namespace', unit: base?.unit ?? 'operations', ...overrideProvenance(from, undefined, calibrated), value };
  }
  const latency: Record<string, ProfileLatency> = map(tier.latency, (l) => ({ p50Ms: l.p50Ms, p99Ms: l.p99Ms, ...sourced(tier, l) }));
  for (const [op, given] of Object.entries(override.latency ?? {})) latency[op] = { p50Ms: given.p50Ms, p99Ms: given.p99Ms, ...overrideProvenance(from, given, calibrated) };
  return {
    tech: tier.tech,
    tier: tier.tier,
    units: override.units ?? tier.units?.default ?? 1,
    ...(tier.units ? { unitName: tier.units.name } : {}),
    enforceQuotas: file.quotas,
    enforceLatency: file.latency,
    limits,
    features,
    quotas,
    latency,
    unmodelled: tier.unmodelled,
  };
}

function readProfileFile(ref: string, cwd: string): { file: ProfileFile; path?: string; problems: string[] } {
  const builtin = (BUILTIN_PROFILES as readonly string[]).includes(ref);
  const path = builtin ? `${DIR}named/${ref}.json` : resolvePath(cwd, ref);
  if (!builtin && !existsSync(path)) {
    throw new UserError(`--profile ${ref}: no such profile; use one of ${BUILTIN_PROFILES.join(', ')} or the path of a profile JSON file (see profiles/named/standard.json for the shape)`);
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new UserError(`profile ${ref}: cannot read it as JSON (${(error as Error).message})`);
  }
  const parsed = profileFileSchema.safeParse(json);
  if (!parsed.success) return { file: undefined as never, problems: issuesOf(parsed.error, `profile ${ref}`) };
  return { file: parsed.data, path: builtin ? undefined : path, problems: [] };
}

/** Checks tiers and units against what is shipped; returns problems (field: fix). */
function tierProblems(tech: ProfiledTech, choice: TechOverride, where: string): string[] {
  const tier = choice.tier ?? 'standard';
  if (!tiersOf(tech).includes(tier)) return [`${where}.${tech}.tier: unknown tier "${tier}" for ${tech}; use one of ${tiersOf(tech).join(', ')}`];
  const units = loadTier(tech, tier).units;
  if (choice.units === undefined) return [];
  if (!units) return choice.units === 1 ? [] : [`${where}.${tech}.units: ${tech} ${tier} has no units to scale; remove it`];
  const ok = units.range ? choice.units >= units.allowed[0]! && choice.units <= units.allowed.at(-1)! : units.allowed.includes(choice.units);
  return ok ? [] : [`${where}.${tech}.units: ${tech} ${tier} takes ${units.range ? `${units.allowed[0]}..${units.allowed.at(-1)}` : units.allowed.join(', ')} ${units.name}, not ${choice.units}`];
}

/**
 * `ref`: a shipped profile name or a profile file path (relative to cwd); `overrides`: the
 * scenario's `azure.overrides`, applied last (a tier named there replaces the profile's).
 */
export function resolveProfile(ref: string, overrides: ProfileOverrides = {}, cwd = process.cwd()): ResolvedProfile {
  const { file, path, problems } = readProfileFile(ref, cwd);
  if (problems.length) throw new UserError(problems.join('\n'));
  const standard = readProfileFile('standard', cwd).file;
  const kind = file.kind === 'calibrated' ? 'calibrated' : path ? 'file' : 'builtin';
  const from = path ? relative(cwd, path) : `profiles/named/${file.name}.json`;
  const all: string[] = [];
  const techs = {} as Record<ProfiledTech, TechProfile>;
  for (const tech of PROFILED_TECHS) {
    const fromFile = file.tiers[tech] ?? standard.tiers[tech] ?? {};
    const fromScenario = overrides[tech] ?? {};
    const merged: TechOverride = { ...fromFile, ...fromScenario, limits: { ...fromFile.limits, ...fromScenario.limits }, quotas: { ...fromFile.quotas, ...fromScenario.quotas }, features: { ...fromFile.features, ...fromScenario.features }, latency: { ...fromFile.latency, ...fromScenario.latency } };
    if (fromScenario.tier && fromScenario.tier !== fromFile.tier && fromScenario.units === undefined) delete merged.units;
    const problemsHere = [...tierProblems(tech, fromFile, `profile ${ref}: tiers`), ...(overrides[tech] ? tierProblems(tech, merged, 'azure.overrides') : [])];
    all.push(...problemsHere);
    if (problemsHere.length) continue;
    techs[tech] = techProfile(loadTier(tech, merged.tier ?? 'standard'), file, merged, overrides[tech] ? 'scenario azure.overrides' : from, kind === 'calibrated' && !overrides[tech]);
  }
  if (all.length) throw new UserError(all.join('\n'));
  return { name: file.name, version: file.version, description: file.description, kind, ...(path ? { file: relative(cwd, path) } : {}), techs };
}
