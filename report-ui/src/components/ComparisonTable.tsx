import { COMPARE_COLUMNS, compareRows } from '../data/compare.ts';
import { formatCount, formatMs, MISSING } from '../data/format.ts';
import type { Results } from '../data/types.ts';

function formatValue(unit: 'ms' | 'perS' | undefined, value: number | undefined): string {
  if (value === undefined) return MISSING;
  if (unit === 'ms') return formatMs(value);
  if (unit === 'perS') return value.toFixed(1);
  return formatCount(value);
}

/** One row per technology; ★ marks the best value of each column (ties all marked). */
export function ComparisonTable({ results }: { results: Results }) {
  const rows = compareRows(results);
  if (rows.length === 0) return <p className="empty">No runs to compare.</p>;
  return (
    <table className="summary compare" data-testid="comparison-table">
      <thead>
        <tr>
          <th>technology</th>
          {COMPARE_COLUMNS.map((column) => (
            <th key={column.key} className="num" title={`${column.title} (${column.better} is better)`}>
              {column.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.tech} data-tech={row.tech}>
            <td>
              {row.tech}
              {row.status === 'failed' ? <span className="run-failed"> run failed</span> : null}
            </td>
            {COMPARE_COLUMNS.map((column) => {
              const value = row.values[column.key];
              const best = row.best.has(column.key);
              return (
                <td key={column.key} data-col={column.key} className={`num${best ? ' best' : ''}${value === undefined ? ' missing' : ''}`} title={best ? 'best in column' : undefined}>
                  {best ? <span className="star">★ </span> : null}
                  <span className="value">{formatValue(column.unit, value)}</span>
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
