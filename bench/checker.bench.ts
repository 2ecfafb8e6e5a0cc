/**
 * Checker benchmark: the full check of a generated N-operation history, as a ratio to merely
 * reading and JSON-parsing every line of it, measured side by side in one run.
 *
 *   node --import tsx bench/checker.bench.ts [--ops 1000000] [--repeat 3] [--keep]
 *
 * (a) parse: read every file in 1 MiB chunks, split lines, JSON.parse each (no validation).
 * (b) check: read + parse + validate + index + every checker (checkHistoryDir).
 * Each is repeated (alternating order) and the median is reported, in wall time and in CPU time
 * (user + system of this process: steadier on a shared machine). Target: (b)/(a) <= 1.5.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateHistoryDir } from '../test/data/histories/generate.ts';
import { checkHistoryDir } from '../runner/checkers/compose.ts';
import { forEachLine, historyFiles } from '../runner/history/reader.ts';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '1000000' },
    repeat: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
  },
});
const ops = Number(values.ops);
const repeat = Number(values.repeat);
if (!Number.isInteger(ops) || ops <= 0) throw new Error(`--ops: expected a positive integer (got ${values.ops})`);
if (!Number.isInteger(repeat) || repeat <= 0) throw new Error(`--repeat: expected a positive integer (got ${values.repeat})`);

async function parseOnly(dir: string): Promise<number> {
  let lines = 0;
  let sink = 0;
  for (const file of await historyFiles(dir)) {
    await forEachLine(file, (text) => {
      const value = JSON.parse(text) as { t: number };
      sink += value.t > 0 ? 1 : 0;
      lines++;
    });
  }
  if (sink !== lines) throw new Error('unexpected record');
  return lines;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(2)} s`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'moshpit-checker-bench-'));
  try {
    let started = performance.now();
    const generated = generateHistoryDir(dir, { ops, seed: 7, redeliverEvery: 1000 });
    const bytes = generated.files.reduce((n, f) => n + statSync(f).size, 0);
    console.log(
      `generated ${ops} ops (${generated.uploads} uploads, ${generated.comments} comments), ${generated.records} records, ` +
        `${(bytes / 2 ** 20).toFixed(0)} MiB in ${seconds(performance.now() - started)}`,
    );
    const meta = { subscribers: generated.subscribers, startedAtMs: generated.startedAtMs };
    const parseMs: number[] = [];
    const checkMs: number[] = [];
    const parseCpuMs: number[] = [];
    const checkCpuMs: number[] = [];
    for (let round = 0; round < repeat; round++) {
      const order = round % 2 === 0 ? ['parse', 'check'] : ['check', 'parse'];
      for (const what of order) {
        started = performance.now();
        const cpu = process.cpuUsage();
        const cpuMs = () => { const used = process.cpuUsage(cpu); return (used.user + used.system) / 1000; };
        if (what === 'parse') {
          const lines = await parseOnly(dir);
          if (lines !== generated.records) throw new Error(`parsed ${lines} lines, expected ${generated.records}`);
          parseMs.push(performance.now() - started);
          parseCpuMs.push(cpuMs());
        } else {
          const check = await checkHistoryDir(dir, meta);
          const lost = check.flows.uploads.checks['total-queue'].counts.lost + check.flows.comments.checks['total-queue'].counts.lost;
          if (check.read.records !== generated.records || lost !== 0) throw new Error('the checker disagrees with the generator');
          checkMs.push(performance.now() - started);
          checkCpuMs.push(cpuMs());
        }
        const [wall, cpuTime] = what === 'parse' ? [parseMs.at(-1)!, parseCpuMs.at(-1)!] : [checkMs.at(-1)!, checkCpuMs.at(-1)!];
        console.log(`  round ${round + 1} ${what}: ${seconds(wall)} wall, ${seconds(cpuTime)} cpu`);
      }
    }
    const [a, b] = [median(parseMs), median(checkMs)];
    const [aCpu, bCpu] = [median(parseCpuMs), median(checkCpuMs)];
    console.log(`(a) read + JSON.parse, median of ${repeat}: ${seconds(a)} wall, ${seconds(aCpu)} cpu (${(generated.records / aCpu / 1000).toFixed(2)} M lines per cpu-second)`);
    console.log(`(b) full check,        median of ${repeat}: ${seconds(b)} wall, ${seconds(bCpu)} cpu`);
    console.log(`ratio (b)/(a): ${(b / a).toFixed(2)}x wall, ${(bCpu / aCpu).toFixed(2)}x cpu (target <= 1.5x)`);
    console.log(`peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  } finally {
    if (values.keep) console.log(`history kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

await main();
