import { baselineComparison, type MetricDelta } from '../data/baseline.ts';
import { COMPARE_COLUMNS } from '../data/compare.ts';
import { formatMs, MISSING } from '../data/format.ts';
import type { Results } from '../data/types.ts';

function deltaText(d: MetricDelta, unit: 'ms' | 'perS' | undefined): string {
  if (d.delta === undefined) return MISSING;
  const sign = d.delta > 0 ? '+' : d.delta < 0 ? '−' : '±';
  const abs = Math.abs(d.delta);
  const value = unit === 'ms' ? formatMs(abs) : unit === 'perS' ? abs.toFixed(1) : String(abs);
  const rel = d.relative !== undefined && d.delta !== 0 ? ` (${sign}${Math.abs(d.relative * 100).toFixed(0)}%)` : '';
  return `${sign}${value}${rel}`;
}

/** Current (first file) against baseline (second): deltas per technology, regressions in red. */
export function BaselineTable({ current, baseline }: { current: Results; baseline: Results }) {
  const cmp = baselineComparison(current, baseline);
  return (
    <div data-testid="baseline">
      <p className="note">
        current: {cmp.currentLabel}; baseline: {cmp.baselineLabel}
        {cmp.onlyCurrent.length > 0 ? `; not in the baseline: ${cmp.onlyCurrent.join(', ')}` : ''}
        {cmp.onlyBaseline.length > 0 ? `; only in the baseline: ${cmp.onlyBaseline.join(', ')}` : ''}
      </p>
      {cmp.techs.length === 0 ? (
        <p className="empty">No technology appears in both files.</p>
      ) : (
        <table className="summary" data-testid="baseline-table">
          <thead>
            <tr>
              <th>technology</th>
              {COMPARE_COLUMNS.map((c) => (
                <th key={c.key} className="num" title={c.title}>
                  Δ {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cmp.techs.map((tech) => (
              <tr key={tech.tech} data-tech={tech.tech}>
                <td>{tech.tech}</td>
                {tech.metrics.map((d, i) => (
                  <td
                    key={d.key}
                    data-col={d.key}
                    className={`num${d.regression ? ' bad regression' : ''}${d.improvement ? ' improved' : ''}`}
                    title={`current ${d.current ?? MISSING}, baseline ${d.baseline ?? MISSING}`}
                  >
                    {deltaText(d, COMPARE_COLUMNS[i]!.unit)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
