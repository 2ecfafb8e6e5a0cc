import type { Comparison } from '../../../runner/compare/schema.ts';
import { formatDate, formatDurationMs } from '../data/format.ts';
import type { Results } from '../data/types.ts';
import { CostTable } from './CostTable.tsx';
import { FlowVerdictCard } from './FlowVerdictCard.tsx';
import { Matrix } from './Matrix.tsx';
import { SummaryTable } from './SummaryTable.tsx';
import { TimelineChart } from './TimelineChart.tsx';

/** Each scenario's runs, one anchored section per technology (the matrix links here). */
function ScenarioRuns({ results }: { results: Results }) {
  return (
    <section className="results" data-scenario={results.scenario.name}>
      <h3>{results.scenario.name}</h3>
      <p className="description">{results.scenario.description}</p>
      <SummaryTable results={results} />
      <div className="timelines">
        {results.runs.map((run) => (
          <div key={run.tech} id={`run-${results.scenario.name}-${run.tech}`}>
            <TimelineChart run={run} />
          </div>
        ))}
      </div>
    </section>
  );
}

/** The first screen answers the brief's question per flow; the evidence follows. */
export function ComparisonReport({ comparison, results }: { comparison: Comparison; results: Results[] }) {
  const c = comparison;
  return (
    <section className="comparison" data-testid="comparison">
      <header className="run-header">
        <h1>Which technology for each flow? — suite {c.suite.name}</h1>
        <p className="description">{c.question}</p>
        <dl className="facts">
          <div className="fact"><dt>technologies</dt><dd>{c.techs.join(', ')}</dd></div>
          <div className="fact"><dt>scenarios</dt><dd>{c.suite.entries.length} × {c.repeat} repeat(s)</dd></div>
          <div className="fact"><dt>{c.target ? 'brokers' : 'profile'}</dt><dd>{c.target ? `${c.target.kind === 'azure' ? 'real Azure' : 'started separately on this machine'}: ${c.target.file}` : c.profile.name} ({Object.entries(c.profile.tiers).map(([t, v]) => `${t} ${v.tier}`).join(', ')})</dd></div>
          {c.skipped?.length ? <div className="fact"><dt>skipped</dt><dd>{c.skipped.map((s) => `${s.scenario} × ${s.tech}`).join(', ')} (the target cannot run them)</dd></div> : null}
          <div className="fact"><dt>wall time</dt><dd>{formatDurationMs(c.wallTimeMs)}</dd></div>
          <div className="fact"><dt>generated</dt><dd>{formatDate(c.generatedAt)}</dd></div>
        </dl>
      </header>
      {!c.profile.latencyRepresentative ? (
        <p className="banner" data-testid="latency-warning">
          {c.target
            ? `Latency is NOT representative of Azure: the brokers of ${c.target.file} run on this machine. It is shown, never used to decide.`
            : `Latency is NOT representative of Azure: profile ${c.profile.name} has no latency model (loopback timing on this machine). It is shown, never used to decide.`}
        </p>
      ) : null}
      <h2>The answer</h2>
      <ul className="answers" data-testid="answers">
        {c.verdicts.map((v) => (
          <li key={v.flow} data-flow={v.flow}>
            <strong className={v.recommended || v.fits.length ? 'pick' : 'no-pick'}>
              {v.flow} ({v.kind}) → {v.recommended ?? (v.fits.length ? v.fits.join(' or ') : 'none of those run')}
            </strong>{' '}
            <span className="reasons">{v.conclusion.replace(/^[^:]*:\s*/, '')}</span>
          </li>
        ))}
      </ul>
      <h2>Verdict per flow: promises, measured, latency</h2>
      <div className="recommendations" data-testid="verdicts">
        {c.verdicts.map((v) => (
          <FlowVerdictCard key={v.flow} verdict={v} />
        ))}
      </div>
      <p className="note">
        Promises come from profiles/promises.json (Microsoft's pages, read on the dates shown); latency is compared on {c.latencyScenarios.join(', ')} only (no fault), with 95% order-statistic intervals.
      </p>
      <h2>Cost and headroom</h2>
      <CostTable comparison={c} />
      <h2>Matrix: scenario × technology × flow</h2>
      <Matrix comparison={c} />
      <h2>Runs</h2>
      {results.map((r) => (
        <ScenarioRuns key={r.scenario.name} results={r} />
      ))}
    </section>
  );
}
