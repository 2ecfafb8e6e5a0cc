import { userImpact } from '../data/impact.ts';
import type { Results } from '../data/types.ts';

/** First line per technology: how many uploads and comments a user would have seen fail, and how many were lost. */
export function UserImpactList({ results }: { results: Results }) {
  if (results.runs.length === 0) return null;
  return (
    <ul className="user-impact">
      {results.runs.map((run, index) => {
        const impact = userImpact(run);
        const bad = (impact.uploadsFailed ?? 0) + (impact.commentsFailed ?? 0) + impact.lost > 0;
        return (
          <li key={`${run.tech}-${index}`} data-testid="user-impact" data-tech={run.tech} className={bad ? 'bad' : undefined}>
            {impact.text}
          </li>
        );
      })}
    </ul>
  );
}
