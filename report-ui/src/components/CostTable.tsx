import type { Comparison } from '../../../runner/compare/schema.ts';

/** Monthly cost at the reference scenario's rate (an estimate, sourced and dated) and headroom against each tier's quotas. */
export function CostTable({ comparison }: { comparison: Comparison }) {
  const ref = comparison.cost.referenceScenario;
  const estimates = comparison.cost.estimates.filter((e) => e.scenario === ref);
  const rooms = comparison.headroom.filter((h) => h.scenario === ref);
  const { prices } = comparison.cost;
  return (
    <div data-testid="cost">
      <p className="note">
        {prices.estimate ? 'ESTIMATE. ' : ''}Prices {prices.currency}, read {prices.read} ({prices.file}; edit it and pass <code>--prices</code>). {prices.basis}
      </p>
      <table className="summary compare">
        <thead>
          <tr>
            <th>technology</th>
            <th>tier</th>
            <th>billable/s at {ref ?? '—'}</th>
            <th>monthly {prices.currency}</th>
            <th>how</th>
            <th>headroom before the tier throttles</th>
          </tr>
        </thead>
        <tbody>
          {estimates.map((e) => (
            <tr key={e.tech} data-tech={e.tech}>
              <td>{e.tech}</td>
              <td>
                {e.tier} ×{e.units}
              </td>
              <td className="num">{e.billablePerSecond.toFixed(1)}</td>
              <td className="num">{e.monthlyUsd.toFixed(2)}</td>
              <td className="promises">
                {e.breakdown}{' '}
                <a className="source" href={e.source}>
                  [prices]
                </a>
              </td>
              <td className="promises" data-testid="headroom">
                {rooms
                  .filter((h) => h.tech === e.tech)
                  .map((h) => (
                    <div key={h.quota}>
                      {h.text}{' '}
                      <a className="source" href={h.source}>
                        [quota]
                      </a>
                    </div>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
