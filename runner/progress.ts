/**
 * Progress output during a run: elapsed/total, offered vs acknowledged vs committed rate,
 * errors. On a TTY one live line rewritten in place; otherwise a plain line every few seconds
 * (CI logs stay readable).
 */
export interface ProgressSample {
  elapsedMs: number;
  offered: number;
  acknowledged: number;
  committed: number;
  failed: number;
  dropped: number;
  inFlight: number;
}

export interface Progress {
  sample(sample: ProgressSample): void;
  /** a one-off line (phase changes, warnings); ends any live line first */
  line(text: string): void;
  end(): void;
}

const ZERO: ProgressSample = { elapsedMs: 0, offered: 0, acknowledged: 0, committed: 0, failed: 0, dropped: 0, inFlight: 0 };

export function formatSample(tag: string, totalMs: number, now: ProgressSample, previous: ProgressSample): string {
  const seconds = Math.max((now.elapsedMs - previous.elapsedMs) / 1000, 1e-3);
  const rate = (key: 'offered' | 'acknowledged' | 'committed') => ((now[key] - previous[key]) / seconds).toFixed(1).padStart(6);
  const elapsed = `${Math.round(now.elapsedMs / 1000)}s/${Math.round(totalMs / 1000)}s`.padStart(8);
  return (
    `[${tag}] ${elapsed}  offered ${rate('offered')}/s  acked ${rate('acknowledged')}/s  committed ${rate('committed')}/s` +
    `  total ${now.acknowledged} acked, ${now.committed} committed  errors ${now.failed}  dropped ${now.dropped}  in-flight ${now.inFlight}`
  );
}

export function createProgress(tag: string, totalMs: number, stream: NodeJS.WriteStream = process.stderr, plainEveryMs = 5000): Progress {
  const tty = stream.isTTY === true && !process.env.CI;
  let previous = ZERO;
  let lastPlain = ZERO;
  let live = false;
  const clearLive = () => {
    if (live) stream.write('\n');
    live = false;
  };
  return {
    sample(sample) {
      if (tty) {
        stream.write(`\r\x1b[2K${formatSample(tag, totalMs, sample, previous)}`);
        live = true;
      } else if (sample.elapsedMs - lastPlain.elapsedMs >= plainEveryMs) {
        stream.write(formatSample(tag, totalMs, sample, lastPlain) + '\n');
        lastPlain = sample;
      }
      previous = sample;
    },
    line(text) {
      clearLive();
      stream.write(`[${tag}] ${text}\n`);
    },
    end: clearLive,
  };
}
