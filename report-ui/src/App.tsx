import { Fragment } from 'react';
import { BacklogChart } from './components/BacklogChart.tsx';
import { BaselineTable } from './components/BaselineTable.tsx';
import { ComparisonReport } from './components/ComparisonReport.tsx';
import { ComparisonTable } from './components/ComparisonTable.tsx';
import { Header } from './components/Header.tsx';
import { LatencyChart } from './components/LatencyChart.tsx';
import { Recommendations } from './components/Recommendations.tsx';
import { RunDetails } from './components/RunDetails.tsx';
import { SummaryTable } from './components/SummaryTable.tsx';
import { TimelineChart } from './components/TimelineChart.tsx';
import { UserImpactList } from './components/UserImpact.tsx';
import type { LoadedData } from './data/load.ts';
import type { Results } from './data/types.ts';

/** One section per results file given to `moshpit report`; the first is the current run. */
function ResultsSection({ results, baseline }: { results: Results; baseline?: Results }) {
  return (
    <section className="results">
      <Header results={results} />
      <UserImpactList results={results} />
      <h2>Recommendation per flow</h2>
      <Recommendations results={results} />
      <h2>Comparison</h2>
      <ComparisonTable results={results} />
      {baseline ? (
        <>
          <h2>Against the baseline</h2>
          <BaselineTable current={results} baseline={baseline} />
        </>
      ) : null}
      <h2>Verdict per technology and flow</h2>
      <SummaryTable results={results} />
      <h2>Latency percentiles</h2>
      <LatencyChart results={results} selectable />
      <h2>Publish delay</h2>
      <LatencyChart results={results} hop="publishDelay" testId="publish-delay-chart" />
      <h2>Throughput and backlog</h2>
      <div className="timelines">
        {results.runs.map((run, index) => (
          <Fragment key={`${run.tech}-${index}`}>
            <TimelineChart run={run} />
            <BacklogChart run={run} />
          </Fragment>
        ))}
      </div>
      <h2>Runs: configuration and errors</h2>
      <RunDetails results={results} />
    </section>
  );
}

export function App({ data }: { data: LoadedData }) {
  if (!data.ok) {
    return (
      <main>
        <p className="load-error" role="alert">
          {data.error}
        </p>
      </main>
    );
  }
  if (data.comparison) {
    return (
      <main>
        <ComparisonReport comparison={data.comparison} results={data.results} />
      </main>
    );
  }
  return (
    <main>
      {data.results.map((results, index) => (
        <ResultsSection key={index} results={results} {...(index === 0 && data.results[1] ? { baseline: data.results[1] } : {})} />
      ))}
    </main>
  );
}
