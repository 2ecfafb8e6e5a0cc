import { flowRecommendations } from '../data/recommend.ts';
import type { Results } from '../data/types.ts';

/** Per flow: what it needs (from its kind), how each technology fared, and the conclusion. */
export function Recommendations({ results }: { results: Results }) {
  const recs = flowRecommendations(results);
  if (recs.length === 0) return <p className="empty">Nothing was measured: no flow results in this file.</p>;
  return (
    <div className="recommendations" data-testid="recommendations">
      {recs.map((rec) => (
        <div key={rec.flow} className="recommendation" data-flow={rec.flow}>
          <p>
            <strong>{rec.flow}</strong> — {rec.needs}.{' '}
            <span className={rec.recommended ? 'pick' : 'no-pick'}>→ {rec.conclusion}.</span>
          </p>
          <ul>
            {rec.assessments.map((a) => (
              <li key={a.tech}>
                <span className={`verdict verdict-${a.verdict === 'met' ? 'valid' : a.verdict === 'failed' ? 'invalid' : 'unknown'}`}>{a.verdict}</span> {a.tech}: {a.facts}
                {a.reasons.length > 0 ? <span className="reasons"> ({a.reasons.join('; ')})</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
