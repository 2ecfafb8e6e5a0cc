import { flowRecommendations } from '../data/recommend.ts';
import type { Results } from '../data/types.ts';
import { FlowVerdictCard } from './FlowVerdictCard.tsx';

/** Per flow: promises, what this run measured, latency with intervals; the same verdict as `moshpit compare`. */
export function Recommendations({ results }: { results: Results }) {
  const verdicts = flowRecommendations(results);
  if (verdicts.length === 0) return <p className="empty">Nothing was measured: no flow results in this file.</p>;
  return (
    <div className="recommendations" data-testid="recommendations">
      <p className="note">
        One run is thin evidence: <code>moshpit compare</code> runs the fault library on every technology and gives the verdict across all of it.
      </p>
      {verdicts.map((v) => (
        <FlowVerdictCard key={v.flow} verdict={v} />
      ))}
    </div>
  );
}
