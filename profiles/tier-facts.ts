/**
 * The tier facts of the shipped tier files, read from disk (fixtures/<tech>/tiers/*.json
 * through resolve.ts's tiersOf/loadTier): what `compare` and the tests look tiers up in. The
 * report reads the same files through Vite (report-ui/src/data/tiers.ts).
 */
import { tierLookup, type TierFacts } from '../runner/verdict/tiers.ts';
import { PROFILED_TECHS } from './model.ts';
import { loadTier, tiersOf } from './resolve.ts';

let lookup: ReturnType<typeof tierLookup> | undefined;

/** The tier's facts, or undefined for a tier moshpit does not ship. */
export function tierFacts(tech: string, tier: string): TierFacts | undefined {
  lookup ??= tierLookup(PROFILED_TECHS.flatMap((t) => tiersOf(t).map((name) => loadTier(t, name))));
  return lookup(tech, tier);
}
