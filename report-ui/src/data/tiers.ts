/// <reference types="vite/client" />
/**
 * The shipped tier files (fixtures/<tech>/tiers/*.json), bundled into the report by Vite's
 * import.meta.glob: every technology folder's tiers, none named here.
 */
import { tierLookup, type RawTier, type TierFacts } from '../../../runner/verdict/tiers.ts';

const FILES = import.meta.glob<RawTier>('../../../fixtures/*/tiers/*.json', { eager: true, import: 'default' });
const lookup = tierLookup(Object.values(FILES));

/** The tier's facts, or undefined for a tier moshpit does not ship. */
export function tierFacts(tech: string, tier: string): TierFacts | undefined {
  return lookup(tech, tier);
}
