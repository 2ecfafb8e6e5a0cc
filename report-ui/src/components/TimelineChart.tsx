import { CartesianGrid, Legend, Line, LineChart, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatRecovery, runTimeline } from '../data/timeline.ts';
import type { RunResult } from '../data/types.ts';

const LINES = [
  { key: 'offered', color: '#64748b', dash: '6 3' },
  { key: 'acknowledged', color: '#2563eb', dash: undefined },
  { key: 'committed', color: '#16a34a', dash: undefined },
  { key: 'errors', color: '#dc2626', dash: undefined },
] as const;

/** Operations per second over the run; fault windows shaded, recovery listed per fault. */
export function TimelineChart({ run }: { run: RunResult }) {
  const timeline = runTimeline(run);
  return (
    <figure className="chart timeline" data-testid="timeline-chart" data-tech={run.tech}>
      <figcaption className="chart-title">{run.tech}</figcaption>
      {timeline.rows.length === 0 ? (
        <p className="empty">No timeline was recorded for this run.</p>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={timeline.rows} margin={{ top: 8, right: 24, bottom: 16, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" dataKey="t" domain={['dataMin', 'dataMax']} label={{ value: 's since load start', position: 'insideBottom', offset: -8 }} />
            <YAxis label={{ value: 'ops/s', angle: -90, position: 'insideLeft' }} />
            <Tooltip labelFormatter={(t) => `t = ${t} s`} formatter={(value) => Number(value).toFixed(1)} />
            <Legend verticalAlign="top" />
            {timeline.faults.map((fault) => (
              <ReferenceArea
                key={fault.id}
                x1={fault.startS}
                x2={fault.endS}
                className="fault-band"
                fill="#f97316"
                fillOpacity={0.18}
                ifOverflow="extendDomain"
                label={{ value: fault.label, position: 'insideTop', fontSize: 11 }}
              />
            ))}
            {LINES.map((line) => (
              <Line key={line.key} dataKey={line.key} stroke={line.color} strokeDasharray={line.dash} dot={false} strokeWidth={1.5} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
      {timeline.faults.length > 0 ? (
        <ul className="faults">
          {timeline.faults.map((fault) => (
            <li key={fault.id} data-fault={fault.id}>
              {fault.id}: {fault.label}, {fault.startS.toFixed(1)}–{fault.open ? 'end (never healed)' : `${fault.endS.toFixed(1)} s`}; recovery:{' '}
              <span className="recovery">{formatRecovery(fault.recoveryMs, fault.recovered)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="note">no faults injected</p>
      )}
    </figure>
  );
}
