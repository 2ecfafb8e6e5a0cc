import { Header } from './components/Header.tsx';
import { LatencyChart } from './components/LatencyChart.tsx';
import { RunDetails } from './components/RunDetails.tsx';
import { SummaryTable } from './components/SummaryTable.tsx';
import type { LoadedData } from './data/load.ts';
import type { Results } from './data/types.ts';

/** One section per results file given to `moshpit report`. */
function ResultsSection({ results }: { results: Results }) {
  return (
    <section className="results">
      <Header results={results} />
      <h2>Summary</h2>
      <SummaryTable results={results} />
      <h2>End-to-end latency</h2>
      <LatencyChart results={results} />
      <h2>Runs</h2>
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
  return (
    <main>
      {data.results.map((results, index) => (
        <ResultsSection key={index} results={results} />
      ))}
    </main>
  );
}
