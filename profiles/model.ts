/**
 * The resolved Azure profile: per technology, the tier being emulated, its size limits,
 * feature availability, quotas and latency model, each value with the Microsoft page it comes
 * from and the date it was read (or marked as an estimate with its basis).
 *
 * This file is the narrow interface between the runner (which resolves a profile: ./resolve.ts)
 * and the emulators (which only read a TechProfile handed to them at start). Pure data and
 * accessors; no I/O.
 */
import { BROKERED_TECHS, type TieredTech } from '../runner/techs.ts';

/** Where a value comes from. */
export type Origin = 'documented' | 'estimate' | 'calibrated' | 'override';

export interface Provenance {
  /** the page the value comes from (a Microsoft URL, or the calibration target / scenario) */
  source: string;
  /** when it was read (YYYY-MM-DD) */
  read: string;
  origin: Origin;
  /** for estimates: what the value is based on */
  basis?: string;
  note?: string;
}

export interface ProfileNumber extends Provenance {
  value: number;
}
export interface ProfileFlag extends Provenance {
  value: boolean;
}
export interface ProfileQuota extends Provenance {
  /** per second, for one unit when perUnit (see TechProfile.units) */
  value: number;
  perUnit: boolean;
  /** what shares the bucket: namespace, queue, account, topic */
  scope: string;
  /** what is counted: credits, messages, requests, events, bytes */
  unit: string;
}
export interface ProfileLatency extends Provenance {
  p50Ms: number;
  p99Ms: number;
}

/** The technologies that have Azure tiers (fixtures/<tech>/tiers/*.json): those with a broker (not direct). */
export const PROFILED_TECHS = BROKERED_TECHS as TieredTech[];
export type ProfiledTech = TieredTech;
export const isProfiledTech = (tech: string): tech is ProfiledTech => (PROFILED_TECHS as readonly string[]).includes(tech);

export interface TechProfile {
  tech: ProfiledTech;
  tier: string;
  /** throughput / processing / messaging units (1 where the tier has none) */
  units: number;
  unitName?: string;
  /** false under `ideal`: accessors below return no quota */
  enforceQuotas: boolean;
  /** false under `ideal`: accessors below return no latency */
  enforceLatency: boolean;
  limits: Record<string, ProfileNumber>;
  features: Record<string, ProfileFlag>;
  quotas: Record<string, ProfileQuota>;
  latency: Record<string, ProfileLatency>;
  /** what this tier's emulation does not model */
  unmodelled: string[];
}

export interface ResolvedProfile {
  name: string;
  version: number;
  description: string;
  /** builtin (shipped), file (a user's JSON file), calibrated (written by `moshpit calibrate`) */
  kind: 'builtin' | 'file' | 'calibrated';
  /** the file it was read from, relative to the working directory (files and calibrated) */
  file?: string;
  /** every technology with an Azure tier (direct has none: it is no broker) */
  techs: Record<ProfiledTech, TechProfile>;
}

/** A size or count limit of the tier (undefined: the tier has none / not modelled). */
export function limitOf(profile: TechProfile | undefined, key: string): number | undefined {
  return profile?.limits[key]?.value;
}

/** Whether the tier has a feature; features the profile does not list are available. */
export function hasFeature(profile: TechProfile | undefined, key: string): boolean {
  return profile?.features[key]?.value ?? true;
}

/** A quota's rate per second for this namespace/account (units applied), or undefined when not enforced. */
export function quotaRate(profile: TechProfile | undefined, key: string): number | undefined {
  if (!profile?.enforceQuotas) return undefined;
  const quota = profile.quotas[key];
  if (!quota) return undefined;
  return quota.perUnit ? quota.value * profile.units : quota.value;
}

/** An operation's latency percentiles, or undefined when the latency model is off (ideal) or has none. */
export function latencyOf(profile: TechProfile | undefined, operation: string): ProfileLatency | undefined {
  if (!profile?.enforceLatency) return undefined;
  return profile.latency[operation];
}

