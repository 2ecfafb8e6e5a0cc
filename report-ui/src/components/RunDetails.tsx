import { formatCount, formatDurationMs, formatMs, MISSING } from '../data/format.ts';
import { configEntries } from '../data/redact.ts';
import type { Results, RunResult } from '../data/types.ts';

/** k6 engine runs: k6's own client-side figures (results `load.k6`). */
function K6Figures({ run }: { run: RunResult }) {
  const k6 = run.load.k6!;
  const { p95, p99, max } = k6.httpReqDurationMs;
  const ms = (value: number | null) => (value === null ? MISSING : `${formatMs(value)} ms`);
  const scope = k6.segments > 1 ? ` (p95/p99: worst of ${k6.segments} segments)` : '';
  const check = k6.droppedCrossCheck ? 'as in the history' : `history: ${formatCount(run.load.dropped)}`;
  return (
    <p className="k6-figures" data-testid="k6-figures">
      k6: {formatCount(k6.httpRequests)} HTTP requests, http_req_duration p95 {ms(p95)}, p99 {ms(p99)}, max {ms(max)}
      {scope}; dropped_iterations {formatCount(k6.droppedIterations)} ({check})
    </p>
  );
}

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
          {run.load.k6 ? <K6Figures run={run} /> : null}
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
