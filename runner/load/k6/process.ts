/**
 * Runs one k6 process on one execution segment of the driver, its console output (the
 * driver's history lines) going to a file. A non-zero exit is an error quoting k6's stderr.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { K6_DRIVER_PATH } from './plan.ts';

export class K6EngineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'K6EngineError';
  }
}

export interface SegmentRun {
  index: number;
  count: number;
  consoleFile: string;
  summaryFile: string;
}

/** `--execution-segment` / `--execution-segment-sequence` values for segment `index` of `count`. */
export function segmentArgs(index: number, count: number): string[] {
  if (count <= 1) return [];
  const point = (n: number) => (n === 0 ? '0' : n === count ? '1' : `${n}/${count}`);
  const sequence = Array.from({ length: count + 1 }, (_, n) => point(n)).join(',');
  return ['--execution-segment', `${point(index)}:${point(index + 1)}`, '--execution-segment-sequence', sequence];
}

export function segmentFiles(workDir: string, index: number, count: number): SegmentRun {
  return { index, count, consoleFile: join(workDir, `segment-${index}.jsonl`), summaryFile: join(workDir, `summary-${index}.json`) };
}

export interface RunK6Options {
  bin: string;
  planFile: string;
  segment: SegmentRun;
  signal?: AbortSignal;
  /** after an abort: SIGTERM (k6 stops gracefully), then SIGKILL after this long */
  killAfterMs: number;
  log?: (line: string) => void;
}

const STDERR_KEEP_CHARS = 4000;

export function runK6Segment(options: RunK6Options): Promise<void> {
  const { segment } = options;
  const args = [
    'run', '--quiet', '--no-color', '--no-usage-report', '--no-thresholds',
    '--console-output', segment.consoleFile, '--log-format', 'raw',
    ...segmentArgs(segment.index, segment.count),
    K6_DRIVER_PATH,
  ];
  const env = { ...process.env, MOSHPIT_PLAN_FILE: options.planFile, MOSHPIT_SUMMARY: segment.summaryFile, K6_NO_USAGE_REPORT: 'true' };
  const label = segment.count > 1 ? `k6 segment ${segment.index + 1}/${segment.count}` : 'k6';
  return new Promise((resolve, reject) => {
    const child = spawn(options.bin, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill('SIGTERM');
      killTimer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs);
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (error) => {
      options.signal?.removeEventListener('abort', onAbort);
      reject(new K6EngineError(`${label}: could not start ${options.bin}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(killTimer);
      options.signal?.removeEventListener('abort', onAbort);
      if (code === 0 || options.signal?.aborted) return resolve();
      const tail = stderr.trim().split('\n').slice(-8).join('\n');
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      reject(new K6EngineError(`${label} ${how}${tail ? `; its last output:\n${tail}` : ' and printed nothing'}`));
    });
  });
}
