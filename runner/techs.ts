/**
 * The messaging technologies moshpit knows about: the keys of the technology registry
 * (fixtures/technologies.ts, one line per technology folder), so this file names none. The
 * scenario schema accepts only these names; what each one needs is its profile's to say
 * (`profileOf(tech)`).
 */
import { TECHNOLOGIES } from '../fixtures/technologies.ts';

export type Tech = keyof typeof TECHNOLOGIES;
export const TECHS = Object.keys(TECHNOLOGIES) as [Tech, ...Tech[]];

/**
 * The technologies that are an Azure service with tiers (fixtures/<tech>/tiers/*.json): those
 * with a broker; a profile typed `hasBroker: false` (direct) is not one.
 */
export type TieredTech = { [K in Tech]: (typeof TECHNOLOGIES)[K]['hasBroker'] extends false ? never : K }[Tech];

/** The technologies with a broker (the baseline without one is run only when named). */
export const BROKERED_TECHS = TECHS.filter((t) => TECHNOLOGIES[t].hasBroker);

/** How help texts name a technology. */
export const titleOf = (tech: Tech): string => TECHNOLOGIES[tech].title;

export function isTech(name: string): name is Tech {
  return (TECHS as readonly string[]).includes(name);
}
