/**
 * One-line and summary descriptions of a resolved profile, for the CLI and for results.json
 * (which names the profile, its version, each technology's tier and the sources behind it).
 */
import type { ResolvedProfile, TechProfile } from './model.ts';
import type { Tech } from '../runner/techs.ts';

const tierText = (p: TechProfile) => `${p.tech} ${p.tier}${p.unitName ? ` ${p.units} ${p.unitName}` : ''}`;

export function describeProfile(profile: ResolvedProfile, techs?: Tech[]): string {
  const shown = (techs ?? (Object.keys(profile.techs) as Tech[])).map((t) => tierText(profile.techs[t]));
  const enforce = Object.values(profile.techs)[0];
  const what = enforce?.enforceQuotas || enforce?.enforceLatency
    ? `${enforce.enforceQuotas ? 'quotas' : 'no quotas'}, ${enforce.enforceLatency ? 'latency model (estimates unless calibrated)' : 'no added latency'}`
    : 'no quotas, no added latency: latency is this machine\'s loopback timing, not Azure\'s';
  return `${profile.name} (v${profile.version}${profile.kind !== 'builtin' ? `, ${profile.kind} ${profile.file ?? ''}`.trimEnd() : ''}): ${shown.join(', ')}; ${what}`;
}

export interface ProfileSummary {
  name: string;
  version: number;
  kind: ResolvedProfile['kind'];
  file?: string;
  quotas: boolean;
  latency: boolean;
  tiers: Partial<Record<Tech, { tier: string; units: number; unitName?: string; estimates: string[]; sources: string[] }>>;
}

/** What results.json records about the profile of a run (for the given technologies). */
export function summarizeProfile(profile: ResolvedProfile, techs: Tech[]): ProfileSummary {
  const tiers: ProfileSummary['tiers'] = {};
  for (const tech of techs) {
    const p = profile.techs[tech];
    if (!p) continue;
    const entries = [...Object.entries(p.limits), ...Object.entries(p.quotas), ...Object.entries(p.features), ...Object.entries(p.latency)];
    tiers[tech] = {
      tier: p.tier,
      units: p.units,
      ...(p.unitName ? { unitName: p.unitName } : {}),
      estimates: entries.filter(([, v]) => v.origin === 'estimate').map(([k]) => k),
      sources: [...new Set(entries.map(([, v]) => v.source))].sort(),
    };
  }
  const first = Object.values(profile.techs)[0]!;
  return { name: profile.name, version: profile.version, kind: profile.kind, ...(profile.file ? { file: profile.file } : {}), quotas: first.enforceQuotas, latency: first.enforceLatency, tiers };
}
