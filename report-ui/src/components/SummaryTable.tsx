import { formatCount, formatMs, MISSING } from '../data/format.ts';
import { isBad, SUMMARY_COLUMNS, SUMMARY_GROUPS, summaryRows } from '../data/summary.ts';
import type { Results } from '../data/types.ts';
import { Verdict } from './Verdict.tsx';

/** One row per technology and flow; "—" means not measured or not applicable. */
export function SummaryTable({ results }: { results: Results }) {
  const rows = summaryRows(results);
  if (rows.length === 0) return <p className="empty">No runs in this results file.</p>;
  return (
    <div className="table-scroll">
      <table className="summary" data-testid="summary-table">
        <thead>
          <tr>
            <th rowSpan={2}>technology</th>
            <th rowSpan={2}>flow</th>
            <th rowSpan={2}>verdict</th>
            {SUMMARY_GROUPS.map((group) => (
              <th key={group} className="group" colSpan={SUMMARY_COLUMNS.filter((c) => c.group === group).length}>
                {group}
              </th>
            ))}
          </tr>
          <tr>
            {SUMMARY_COLUMNS.map((column) => (
              <th key={column.key} title={column.title} className="num">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-row={row.id} title={row.note}>
              <td>{row.tech}</td>
              <td>
                {row.flow ?? MISSING}
                {row.kind ? <span className="kind"> {row.kind}</span> : null}
                {row.runStatus === 'failed' ? <span className="run-failed"> run failed</span> : null}
              </td>
              <td>
                <Verdict valid={row.verdict} reasons={row.reasons} />
              </td>
              {SUMMARY_COLUMNS.map((column) => {
                const value = row.metrics[column.key];
                const text = column.unit === 'ms' ? formatMs(value) : formatCount(value);
                const classes = ['num', isBad(column, value) ? 'bad' : '', value === undefined ? 'missing' : '']
                  .filter(Boolean)
                  .join(' ');
                return (
                  <td key={column.key} className={classes} data-col={column.key}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
