import { useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatMs } from '../data/format.ts';
import {
  availableHops,
  formatPercentile,
  latencySeries,
  minPositiveMs,
  ninesTicks,
  percentileOf,
  seriesStyles,
} from '../data/latency.ts';
import type { Results } from '../data/types.ts';

const HOP_NOTES: Record<string, string> = {
  e2e: 'End-to-end latency from the intended start (no coordinated omission).',
  publishDelay: 'Publish delay: intended start to actual send by the load engine.',
  request: 'Request: send to the api acknowledgement.',
  broker: 'Broker: broker acknowledgement to first receipt by the consumer.',
  process: 'Process: first receipt to commit in the database.',
  event: 'Event: upload committed to event received by a subscriber.',
};

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

/** Latency by percentile on a "nines" axis, one line per technology (colour) and flow (dash). */
export function LatencyChart({
  results,
  hop: initialHop = 'e2e',
  selectable = false,
  testId = 'latency-chart',
}: {
  results: Results;
  hop?: string;
  /** show a hop selector (e2e, publishDelay, request, broker, process, event) */
  selectable?: boolean;
  testId?: string;
}) {
  const [logScale, setLogScale] = useState(false);
  const [hop, setHop] = useState(initialHop);
  const hops = availableHops(results);
  const series = latencySeries(results, hop);
  const selector = selectable && hops.length > 0 ? (
    <label className="chart-option">
      hop{' '}
      <select value={hop} onChange={(event) => setHop(event.target.value)} data-testid="hop-select">
        {[...new Set([hop, ...hops])].map((h) => (
          <option key={h} value={h}>
            {h}
          </option>
        ))}
      </select>
    </label>
  ) : null;
  if (series.length === 0) {
    return (
      <div className="chart-empty" data-testid={`${testId}-empty`}>
        {selector}
        <p className="empty">No {hop} latency was measured in this run.</p>
      </div>
    );
  }
  const ticks = ninesTicks(series);
  const maxX = ticks[ticks.length - 1]?.x ?? 3;
  const labelOf = (x: number): string =>
    ticks.find((t) => Math.abs(t.x - x) < 1e-9)?.label ?? formatPercentile(percentileOf(x));
  const styles = seriesStyles(series);
  const minMs = minPositiveMs(series);
  const useLog = logScale && minMs !== undefined;
  return (
    <figure className="chart" data-testid={testId} data-hop={hop}>
      {selector}
      <label className="chart-option">
        <input type="checkbox" checked={logScale} onChange={(event) => setLogScale(event.target.checked)} /> log scale (ms)
      </label>
      <ResponsiveContainer width="100%" height={380}>
        <LineChart margin={{ top: 10, right: 24, bottom: 24, left: 16 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            type="number"
            dataKey="x"
            domain={[0, maxX]}
            ticks={ticks.map((t) => t.x)}
            tickFormatter={labelOf}
            label={{ value: 'percentile', position: 'insideBottom', offset: -12 }}
          />
          <YAxis
            scale={useLog ? 'log' : 'auto'}
            domain={useLog ? [minMs, 'auto'] : [0, 'auto']}
            allowDataOverflow={useLog}
            label={{ value: 'ms', angle: -90, position: 'insideLeft' }}
            tickFormatter={(value: number) => value.toLocaleString('en-US', { maximumSignificantDigits: 3 })}
          />
          <Tooltip
            labelFormatter={(x) => formatPercentile(percentileOf(Number(x)))}
            formatter={(value) => `${formatMs(Number(value))} ms`}
          />
          <Legend verticalAlign="top" itemSorter={null} />
          {series.map((s) => {
            const style = styles.get(s.id);
            return (
              <Line
                key={s.id}
                data={s.points}
                dataKey="valueMs"
                name={s.label}
                stroke={PALETTE[(style?.colorIndex ?? 0) % PALETTE.length]}
                strokeDasharray={style?.dash}
                strokeWidth={2}
                dot={{ r: 2 }}
                isAnimationActive={false}
              />
            );
          })}
        </LineChart>
      </ResponsiveContainer>
      <figcaption>
        {HOP_NOTES[hop] ?? `${hop} latency.`} The percentile axis is in
        "nines" (90%, 99%, 99.9%…); the maximum is in the table. Colour = technology, dash = flow.
      </figcaption>
    </figure>
  );
}
