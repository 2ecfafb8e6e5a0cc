import type { FlowVerdict } from '../data/recommend.ts';
import { formatMs } from '../data/format.ts';

type Interval = FlowVerdict['techs'][number]['latency']['p50'];

function IntervalText({ interval }: { interval: Interval }) {
  if (!interval) return <span className="missing">—</span>;
  return (
    <span title={`${Math.round(interval.confidence * 100)}% order-statistic interval, n=${interval.n}`}>
      {formatMs(interval.estimateMs)} <span className="ci">[{formatMs(interval.lowMs)}, {interval.highMs === null ? 'open' : formatMs(interval.highMs)}]</span>
    </span>
  );
}

const valueClass = (v: string) => (v === 'yes' ? 'promise-yes' : v === 'no' ? 'promise-no' : 'promise-conditional');

/** One flow: the brief's question, the conclusion, then promises, measured and latency per technology with their evidence. */
export function FlowVerdictCard({ verdict }: { verdict: FlowVerdict }) {
  return (
    <div className="recommendation flow-verdict" data-testid="flow-verdict" data-flow={verdict.flow} data-recommended={verdict.recommended ?? ''}>
      <p>
        <strong>{verdict.flow}</strong> <span className="kind">({verdict.kind})</span> — {verdict.question}
      </p>
      <p className={verdict.recommended || verdict.fits.length ? 'pick' : 'no-pick'} data-testid="conclusion">
        → {verdict.conclusion}
      </p>
      <table className="summary verdict-table">
        <thead>
          <tr>
            <th>technology</th>
            <th>1. promises (Microsoft docs)</th>
            <th>2. measured</th>
            <th>3. e2e p50 ms [95% CI]</th>
            <th>p99 ms [95% CI]</th>
            <th>n</th>
            <th>fit</th>
          </tr>
        </thead>
        <tbody>
          {verdict.techs.map((t) => (
            <tr key={t.tech} data-tech={t.tech} data-fit={String(t.fit)}>
              <td>
                {t.tech}
                {t.tier ? <span className="kind"> {t.tier}</span> : null}
              </td>
              <td className="promises">
                {t.promise.items.map((item) => (
                  <div key={item.promise} className={valueClass(item.value)} data-promise={item.promise} data-value={item.value}>
                    {item.required ? <strong>{item.label}</strong> : item.label}: {item.value === 'yes' && item.promise === 'consumption' ? '' : `${item.value} — `}
                    {item.text}{' '}
                    <a href={item.source.url} className="source" title={`read ${item.source.read}`}>
                      [source, read {item.source.read}]
                    </a>
                  </div>
                ))}
                {t.promise.sizeLimit ? <div className="note">size limit {Math.round(t.promise.sizeLimit.bytes / 1024)} KiB per message ({t.promise.sizeLimit.key})</div> : null}
              </td>
              <td className="measured" data-ok={String(t.measured.ok)}>
                {t.measured.failures.length === 0 ? (t.measured.ok === true ? `kept in ${t.measured.scenarios} scenario${t.measured.scenarios === 1 ? '' : 's'}` : 'not measured') : null}
                {t.measured.failures.map((f, i) => (
                  <div key={i} className="promise-no">
                    {f.what} in <strong>{f.scenario}</strong>
                  </div>
                ))}
                {t.measured.caveats.slice(0, 4).map((c, i) => (
                  <div key={`c${i}`} className="note">
                    {c.scenario}: {c.what}
                  </div>
                ))}
              </td>
              <td className="num"><IntervalText interval={t.latency.p50} /></td>
              <td className="num"><IntervalText interval={t.latency.p99} /></td>
              <td className="num">{t.latency.n}</td>
              <td>{t.fit ? <span className="verdict verdict-valid">fits</span> : <span className="verdict verdict-invalid" title={t.reasons.join('\n')}>no</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="note" data-testid="latency-note">
        Latency: {verdict.latency.text}. Basis: {verdict.latency.basis}.
      </p>
    </div>
  );
}
