/**
 * Before a run: does each chosen technology's tier give its transport what it needs
 * (its profile's `tierNeeds`, fixtures/<tech>/profile.ts)? Every problem at once, as one UserError
 * naming the tier, the feature and the profiles that have it.
 */
import { profileOf } from '../../fixtures/technologies.ts';
import type { TierNeed } from '../../fixtures/technology-profile.ts';
import { isProfiledTech, type ProfiledTech, type ResolvedProfile, type TechProfile } from '../../profiles/model.ts';
import { hasFeature, limitOf } from '../../profiles/model.ts';
import { BUILTIN_PROFILES, resolveProfile } from '../../profiles/resolve.ts';
import { UserError } from '../contracts/errors.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';

function meets(need: TierNeed, tech: TechProfile, scenario: Scenario): boolean {
  if (need.feature && !hasFeature(tech, need.feature)) return false;
  if (need.limit) {
    const have = limitOf(tech, need.limit.key);
    if (have !== undefined && have < need.limit.atLeast(scenario)) return false;
  }
  return true;
}

/** the shipped profiles (ideal aside: it plays Standard without quotas) whose tier meets the need */
function profilesMeeting(need: TierNeed, tech: ProfiledTech, scenario: Scenario): string[] {
  return BUILTIN_PROFILES.filter((name) => name !== 'ideal' && meets(need, resolveProfile(name).techs[tech], scenario));
}

function problem(need: TierNeed, tech: ProfiledTech, profile: TechProfile, scenario: Scenario): string {
  const lacks = need.feature
    ? `which the ${profile.tier} tier does not have`
    : `${need.limit!.atLeast(scenario)} ${need.limit!.unit}, and the ${profile.tier} tier has ${limitOf(profile, need.limit!.key)}`;
  const fix = profilesMeeting(need, tech, scenario);
  return `${tech}: ${need.why}, ${lacks}; ${fix.length ? `use --profile ${fix.join(' or ')}` : 'no shipped profile has it'} (or leave ${tech} out with --tech)`;
}

export function checkTierNeeds(techs: Tech[], scenario: Scenario, profile: ResolvedProfile): void {
  const problems: string[] = [];
  for (const tech of techs.filter(isProfiledTech)) {
    const tier = profile.techs[tech];
    for (const need of profileOf(tech).tierNeeds ?? []) if (need.when(scenario) && !meets(need, tier, scenario)) problems.push(problem(need, tech, tier, scenario));
  }
  if (problems.length) throw new UserError(`profile ${profile.name}: ${problems.join('\n')}`);
}
