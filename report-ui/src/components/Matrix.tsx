import type { Comparison } from '../../../runner/compare/schema.ts';
import { formatCount, formatMs } from '../data/format.ts';

type Cell = Comparison['matrix'][number];

const COUNT_LABELS: [keyof Cell['counts'] & string, string][] = [
  ['lost', 'lost'],
  ['duplicatedProcessing', 'dup'],
  ['inversions', 'inv'],
  ['fanOutMissing', 'missing'],
  ['deadLettered', 'dlq'],
];

function CellView({ cell }: { cell: Cell }) {
  const figures = COUNT_LABELS.filter(([key]) => cell.counts[key] !== undefined).map(([key, label]) => `${label} ${formatCount(cell.counts[key])}`);
  return (
    <td className={`cell-${cell.verdict}`} data-cell={`${cell.scenario}/${cell.tech}/${cell.flow}`} data-verdict={cell.verdict}>
      <span className="cell-verdict">{cell.verdict}</span>
      {!cell.promised ? <span className="unpromised" title="the technology does not promise what this flow needs: a clean run here is luck"> · not promised</span> : null}
      <div>{figures.join(' · ')}</div>
      <div>
        p50 {formatMs(cell.e2e.p50?.estimateMs)} · p99 {cell.e2e.p99 ? formatMs(cell.e2e.p99.estimateMs) : '—'}
        {cell.e2e.p99 && cell.e2e.p99.highMs === null ? '*' : ''} ms · n={cell.e2e.n}
      </div>
      {cell.failures.length ? <div className="promise-no">{cell.failures.join('; ')}</div> : null}
      {cell.faults.length ? (
        <div>
          {cell.faults.map((f) => (
            <a key={f.id} href={`#${cell.anchor}`} className="fault-link">
              {f.type} {f.target} {(f.startMs / 1000).toFixed(1)}–{f.endMs === null ? '…' : (f.endMs / 1000).toFixed(1)} s
            </a>
          ))}
        </div>
      ) : (
        <a href={`#${cell.anchor}`} className="fault-link">charts</a>
      )}
    </td>
  );
}

/** Scenario × technology × flow: each cell the verdict and its deciding figures, linked to the run's charts. */
export function Matrix({ comparison }: { comparison: Comparison }) {
  const flows = comparison.verdicts.map((v) => v.flow);
  const byKey = new Map(comparison.matrix.map((c) => [`${c.scenario}/${c.tech}/${c.flow}`, c]));
  return (
    <div className="table-scroll">
      <table className="summary matrix" data-testid="matrix">
        <thead>
          <tr>
            <th>scenario</th>
            <th>technology</th>
            {flows.map((f) => (
              <th key={f}>{f}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {comparison.suite.entries.flatMap((entry) =>
            comparison.techs.map((tech, i) => (
              <tr key={`${entry.name}/${tech}`} data-row={`${entry.name}/${tech}`}>
                {i === 0 ? (
                  <th rowSpan={comparison.techs.length} title={entry.description}>
                    {entry.name}
                    <div className="kind">{entry.faults.length ? entry.faults.join('; ') : 'no fault'}</div>
                  </th>
                ) : null}
                <td>{tech}</td>
                {flows.map((flow) => {
                  const cell = byKey.get(`${entry.name}/${tech}/${flow}`);
                  return cell ? <CellView key={flow} cell={cell} /> : <td key={flow} className="missing">—</td>;
                })}
              </tr>
            )),
          )}
        </tbody>
      </table>
      <p className="note">* p99 with an open 95% interval (too few samples for the tail). Counts are summed over {comparison.repeat} repeat(s).</p>
    </div>
  );
}
