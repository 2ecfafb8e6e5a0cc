import { Area, AreaChart, CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { backlogView } from '../data/backlog.ts';
import type { RunResult } from '../data/types.ts';

const FLOWS = [
  { key: 'uploads', color: '#2563eb' },
  { key: 'comments', color: '#16a34a' },
  { key: 'songAdded', color: '#a855f7', name: 'song-added' },
] as const;

/** Messages waiting in the broker per second, stacked by flow; peak (grey) and fault (orange) windows shaded. */
export function BacklogChart({ run }: { run: RunResult }) {
  const view = backlogView(run);
  if (view.rows.length === 0) return null; // not sampled (results from before backlog sampling)
  return (
    <figure className="chart backlog" data-testid="backlog-chart" data-tech={run.tech} data-max-backlog={view.maxBacklog}>
      <figcaption className="chart-title">{run.tech}: backlog (max {view.maxBacklog})</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        <AreaChart data={view.rows} margin={{ top: 8, right: 24, bottom: 16, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="t" domain={['dataMin', 'dataMax']} label={{ value: 's since load start', position: 'insideBottom', offset: -8 }} />
          <YAxis allowDecimals={false} label={{ value: 'waiting', angle: -90, position: 'insideLeft' }} />
          <Tooltip labelFormatter={(t) => `t = ${t} s`} />
          <Legend verticalAlign="top" />
          {view.peaks.map((peak, i) => (
            <ReferenceArea key={`peak-${i}`} x1={peak.startS} x2={peak.endS} className="peak-band" fill="#64748b" fillOpacity={0.15} ifOverflow="extendDomain" label={{ value: 'peak', position: 'insideTop', fontSize: 11 }} />
          ))}
          {view.faults.map((fault) => (
            <ReferenceArea key={fault.id} x1={fault.startS} x2={fault.endS} className="fault-band" fill="#f97316" fillOpacity={0.18} ifOverflow="extendDomain" label={{ value: fault.label, position: 'insideTop', fontSize: 11 }} />
          ))}
          {FLOWS.map((flow) => (
            <Area key={flow.key} type="stepAfter" dataKey={flow.key} name={'name' in flow ? flow.name : flow.key} stackId="backlog" stroke={flow.color} fill={flow.color} fillOpacity={0.35} isAnimationActive={false} />
          ))}
        </AreaChart>
      </ResponsiveContainer>
    </figure>
  );
}
