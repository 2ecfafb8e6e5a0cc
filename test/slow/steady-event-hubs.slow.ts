/**
 * `steady` on event-hubs (its upload sizes and rates, 8 s: test/data/scenarios/steady-short.json)
 * with the standard profile (1 TU: 1 MB/s, while the uploads alone are about 2.6 MB/s) shows
 * throttling as the api's 503s with nothing acknowledged lost; with premium (1 PU, about
 * 5 MB/s enforced) it shows none. Two full runs: npm run test:slow.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-steady-eh-'));

function failedStatuses(historyDir: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const file of readdirSync(historyDir).filter((f) => f.startsWith('loadgen'))) {
    for (const line of readFileSync(join(historyDir, file), 'utf8').split('\n')) {
      if (!line.includes('"failed"')) continue;
      const record = JSON.parse(line) as { h?: string; st?: number };
      if (record.h === 'failed') counts[String(record.st)] = (counts[String(record.st)] ?? 0) + 1;
    }
  }
  return counts;
}

async function steady(profile: string) {
  const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/steady-short.json', tech: 'event-hubs', profile, out: join(out, profile), engine: 'builtin', report: false });
  const run = outcome.runs[0]!;
  const failed = failedStatuses(join(out, profile, 'event-hubs', 'history'));
  const lost = ['uploads', 'comments'].map((flow) => run.flows[flow]!.checks['total-queue']!.counts.lost);
  console.log(`${profile}: load ${JSON.stringify(run.load)}; failed by status ${JSON.stringify(failed)}; lost ${lost.join('/')}; drained ${run.drain.drained}`);
  return { run, failed, lost };
}

describe('steady on event-hubs', () => {
  it('standard (1 TU) throttles: api 503s, no acknowledged loss', async () => {
    const { run, failed, lost } = await steady('standard');
    expect(run.status, run.error).toBe('completed');
    expect(failed['503'] ?? 0).toBeGreaterThan(0);
    expect(lost).toEqual([0, 0]);
  });

  it('premium (1 PU) does not', async () => {
    const { run, failed, lost } = await steady('premium');
    expect(run.status, run.error).toBe('completed');
    expect(failed['503'] ?? 0).toBe(0);
    expect(lost).toEqual([0, 0]);
  });
});
