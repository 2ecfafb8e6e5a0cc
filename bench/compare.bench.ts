/**
 * The default comparison's cost: `moshpit compare` (the quick suite on every implemented
 * technology, profile standard) end to end, its wall time against the 5-minute target and the
 * size of its report.html against the 2 MB target, plus the verdict it reached.
 *
 *   npm run bench:compare [-- --suite quick --tech ... --keep DIR]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCompare } from '../runner/compare/run-suite.ts';
import { verdictLines } from '../runner/commands/compare.ts';

const { values } = parseArgs({ options: { suite: { type: 'string', default: 'quick' }, tech: { type: 'string' }, keep: { type: 'string' } } });
const TARGET_WALL_MS = 5 * 60_000;
const TARGET_REPORT_BYTES = 2 * 1024 * 1024;

const out = values.keep ?? mkdtempSync(join(tmpdir(), 'moshpit-bench-compare-'));
const load = loadavg()[0]!.toFixed(1);
const started = Date.now();
const outcome = await runCompare({ suite: values.suite, tech: values.tech, out, engine: 'builtin', report: true, log: (line) => (line.startsWith('compare') ? console.error(line) : undefined) });
const wallMs = Date.now() - started;
const reportBytes = statSync(outcome.reportPath!).size;
console.log('');
for (const line of verdictLines(outcome.comparison)) console.log(line);
console.log('');
console.log(`machine: ${cpus().length} cores, load average at start ${load}, at end ${loadavg()[0]!.toFixed(1)}`);
console.log(`runs: ${outcome.comparison.runs.length} (${outcome.comparison.runs.filter((r) => r.status === 'failed').length} failed)`);
console.log(`wall time: ${(wallMs / 1000).toFixed(1)} s (target < ${TARGET_WALL_MS / 1000} s): ${wallMs < TARGET_WALL_MS ? 'OK' : 'OVER'}`);
console.log(`report.html: ${(reportBytes / 1024).toFixed(0)} KiB (target < 2048 KiB): ${reportBytes < TARGET_REPORT_BYTES ? 'OK' : 'OVER'}`);
if (values.keep) console.log(`kept: ${out}`);
else rmSync(out, { recursive: true, force: true });
