/**
 * The whole path on Storage Queues (Azurite): load → api → queue → workers → SQLite, events to
 * subscribers, checkers → results.json. Real child processes, real emulator, no mocks.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../runner/run/run-scenario.ts';
import { resultsSchema, type RunResult } from '../../runner/results/schema.ts';

const out = mkdtempSync(join(tmpdir(), 'moshpit-it-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function counts(run: RunResult, flow: string, checker: string): Record<string, number> {
  const check = run.flows[flow]?.checks[checker];
  if (!check) throw new Error(`no ${checker} result for ${flow}`);
  return check.counts;
}

describe('storage-queue end to end', () => {
  it('loses nothing and stores every acknowledged upload and comment', async () => {
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/short-storage-queue.json', out: join(out, 'clean'), engine: 'builtin', report: false });
    const results = resultsSchema.parse(JSON.parse(readFileSync(outcome.results, 'utf8')));
    const run = results.runs[0]!;
    expect(run.status).toBe('completed');
    expect(run.drain.drained).toBe(true);
    for (const flow of ['uploads', 'comments']) {
      const c = counts(run, flow, 'total-queue');
      expect(c.acknowledged).toBeGreaterThan(10);
      expect(c.lost).toBe(0);
      expect(c.unexpected).toBe(0);
      expect(c.committed).toBe(c.acknowledged + (c.recovered ?? 0));
    }
    expect(counts(run, 'song-added', 'fan-out').missing).toBe(0);
    expect(counts(run, 'uploads', 'integrity').mismatched).toBe(0);
    expect(run.flows.uploads!.checks.latency!.latency!.e2e!.count).toBeGreaterThan(10);
    // k6's figures (results load.k6) belong to the k6 engine only
    expect(run.load.k6).toBeUndefined();
  }, 180_000);

  it('a worker SIGKILLed mid-run causes redelivery, not a false loss', async () => {
    let killed = false;
    const outcome = await runScenario({
      scenarioPath: 'test/data/scenarios/short-storage-queue.json',
      out: join(out, 'kill'),
      engine: 'builtin',
      report: false,
      onStackReady: (stack) => {
        // kill an upload worker right after it recorded a delivery: it holds that message
        // unsettled (processing takes 300 ms), so the message must come back after the
        // visibility timeout. Either worker may be the one receiving (they compete on one
        // queue), so watch both and kill whichever took a message.
        const dir = join(out, 'kill', 'storage-queue', 'history');
        const workers = ['worker-uploads-1', 'worker-uploads-2'];
        const seen = new Map<string, number>();
        const started = Date.now();
        const timer = setInterval(() => {
          for (const name of workers) {
            const file = join(dir, `${name}.jsonl`);
            const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
            const fresh = lines.slice(seen.get(name) ?? 0);
            seen.set(name, lines.length);
            if (Date.now() - started > 1500 && fresh.some((line) => line.includes('"h":"received"'))) {
              stack.members.get(name)?.signal('SIGKILL');
              killed = true;
              clearInterval(timer);
              return;
            }
          }
        }, 20);
        setTimeout(() => clearInterval(timer), 20_000);
      },
    });
    expect(killed).toBe(true);
    const run = outcome.runs[0]!;
    expect(run.status).toBe('completed');
    const uploads = counts(run, 'uploads', 'total-queue');
    expect(uploads.lost).toBe(0);
    expect(uploads.committed).toBe(uploads.acknowledged + (uploads.recovered ?? 0));
    // the killed worker held messages: they came back after the visibility timeout
    expect(uploads.duplicatedDelivery).toBeGreaterThan(0);
  }, 180_000);
});

describe('network faults through the fault proxy', () => {
  it('latency then a partition on the broker links: slower, nothing lost, both windows recorded', async () => {
    const outcome = await runScenario({ scenarioPath: 'test/data/scenarios/network-faults.json', tech: 'storage-queue', out: join(out, 'network'), engine: 'builtin', report: false });
    const run = outcome.runs[0]!;
    expect(run.status, run.error).toBe('completed');
    expect(run.errors.filter((e) => e.includes('fault'))).toEqual([]);
    expect(run.faults.map((f) => [f.id, f.type])).toEqual([['fault-1', 'latency'], ['fault-2', 'partition']]);
    const uploads = counts(run, 'uploads', 'total-queue');
    expect(uploads.lost).toBe(0);
    // 300 ms of injected latency on every broker round trip shows in the api's request time
    expect(run.flows.uploads!.checks.latency!.latency!.request!.maxMs).toBeGreaterThanOrEqual(300);
  }, 180_000);
});
