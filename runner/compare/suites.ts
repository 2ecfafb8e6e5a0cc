/**
 * The shipped suites, explicitly. `quick` (the default) covers the five things a team must see
 * before choosing: no fault (the latency baseline), a broker kill, a consumer crash, a network
 * fault and broker throttling — shortened (6-8 s of load, faults 2-3 s long) so that the whole
 * suite on all four technologies takes about five minutes on a 2-core machine (most of it is
 * starting and stopping each run's stack). `full` is the
 * whole scenarios/ library at full length.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SuiteFile } from './suite.ts';

const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

const QUICK: SuiteFile = {
  name: 'quick',
  description: 'Five short scenarios: no fault, broker kill, consumer crash, network latency spike, broker throttling',
  entries: [
    { scenario: 'smoke.ts', name: 'baseline', overrides: { description: 'No fault, 8 s: the latency baseline (the only scenario latency is compared on)', duration: '8s', drainLimit: '20s', load: { uploads: { rate: 10 }, comments: { rate: 20 } } } },
    { scenario: 'broker-outage.ts', name: 'broker-kill', overrides: { description: 'kill -9 the broker at 2 s, restart it at 4 s', duration: '7s', drainLimit: '40s', faults: [{ at: '2s', for: '2s', target: 'broker', fault: { type: 'kill' } }] } },
    {
      scenario: 'consumer-crash.ts',
      name: 'consumer-crash',
      overrides: {
        description: 'kill -9 an upload worker and a comment worker at 2 s, restart them 3 s later (visibility timeout / lock 4 s)',
        duration: '7s',
        drainLimit: '40s',
        backend: { consumer: { visibilityTimeout: '4s', processingTime: '50ms' } },
        faults: [
          { at: '2s', for: '3s', target: 'worker-uploads-1', fault: { type: 'kill' } },
          { at: '2s', for: '3s', target: 'worker-comments-1', fault: { type: 'kill' } },
        ],
      },
    },
    { scenario: 'latency-spike.ts', name: 'network-latency', overrides: { description: '300 ms ± 100 ms on the broker links for 3 s', duration: '6s', drainLimit: '30s', faults: [{ at: '2s', for: '3s', target: 'broker', fault: { type: 'latency', latencyMs: 300, jitterMs: 100 } }] } },
    { scenario: 'throttling.ts', name: 'throttling', overrides: { description: 'the broker answers half of the requests with server busy for 3 s', duration: '6s', drainLimit: '30s', faults: [{ at: '2s', for: '3s', target: 'broker', fault: { type: 'throttle', ratio: 0.5 } }] } },
  ],
};

function full(): SuiteFile {
  const files = readdirSync(SCENARIOS_DIR).filter((f) => f.endsWith('.ts')).sort();
  return { name: 'full', description: 'Every scenario of the scenarios/ library, at full length', entries: files.map((scenario) => ({ scenario })) };
}

export const SHIPPED_SUITES: Record<string, () => { suite: SuiteFile; baseDir: string }> = {
  quick: () => ({ suite: QUICK, baseDir: SCENARIOS_DIR }),
  full: () => ({ suite: full(), baseDir: SCENARIOS_DIR }),
};

export const DEFAULT_SUITE = 'quick';
