import { formatDurationMs } from '../data/format.ts';
import { configEntries } from '../data/redact.ts';
import type { Results } from '../data/types.ts';

/** Per run: status, load counts, drain, config (secrets left out) and errors. */
export function RunDetails({ results }: { results: Results }) {
  return (
    <div className="run-details">
      {results.runs.map((run, runIndex) => (
        <details key={`${run.tech}-${runIndex}`}>
          <summary>
            {run.tech}: {run.status}, {formatDurationMs(run.durationMs)}, drain{' '}
            {run.drain.drained ? 'complete' : 'incomplete'} in {formatDurationMs(run.drain.durationMs)}
            {run.errors.length > 0 ? `, ${run.errors.length} error(s)` : ''}
          </summary>
          {run.error ? <p className="run-error">{run.error}</p> : null}
          <p>
            load ({run.load.engine}): attempted {run.load.attempted}, sent {run.load.sent}, acknowledged{' '}
            {run.load.acknowledged}, failed {run.load.failed}, dropped {run.load.dropped}
          </p>
          <table className="config">
            <tbody>
              {configEntries(run.config).map(([key, value]) => (
                <tr key={key}>
                  <th>{key}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {run.errors.length > 0 ? (
            <ul className="errors">
              {run.errors.slice(0, 50).map((error, index) => (
                <li key={index}>{error}</li>
              ))}
            </ul>
          ) : null}
        </details>
      ))}
    </div>
  );
}
