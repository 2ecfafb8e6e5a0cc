/**
 * The metric catalogue: every checker's counts with a one-line meaning each. One vocabulary for
 * everything that reads results.json: the checkers take their count names from here, the
 * results schema types each checker's counts with it (and `moshpit export results-schema`
 * prints the meanings), the report finds checks and counts with it, and the gate names its
 * metrics after it (`<prefix>_<count in snake_case>`: `lost`, `duplicated_delivery`,
 * `fanout_missing`). The README's metric table is this file rendered (test/checkers/catalogue.test.ts).
 *
 * Plain data, no imports: the browser report imports it too.
 */

export interface CountInfo {
  meaning: string;
  /** the count a gate rate divides by; a count with `per` is a gate metric */
  per?: string;
  /** other spellings of this count in results files written by other tools or older versions */
  aliases?: readonly string[];
  /** older gate metric names kept working for existing threshold files */
  metricAliases?: readonly string[];
}

export interface CheckerInfo {
  summary: string;
  /** the gate's metric names are `<metricPrefix>_<count>` (no prefix: just `<count>`) */
  metricPrefix: string;
  /** other spellings of the checker's name, lowercase letters and digits only */
  aliases: readonly string[];
  counts: Readonly<Record<string, CountInfo>>;
}

export const CATALOGUE = {
  'total-queue': {
    summary: 'per message flow: what the load engine attempted and saw acknowledged, against what the database stored',
    metricPrefix: '',
    aliases: ['totalqueue', 'queue', 'total'],
    counts: {
      attempted: { meaning: 'operations the load engine intended to send' },
      sent: { meaning: 'operations sent to the api' },
      acknowledged: { meaning: 'operations the api answered 2xx' },
      failed: { meaning: 'operations that failed: refused with a 4xx, or no answer / status 0 / 5xx' },
      dropped: { meaning: 'operations never sent (the load engine fell behind its schedule)' },
      committed: { meaning: 'operations the database stored' },
      lost: { meaning: 'acknowledged, never stored and never dead-lettered', per: 'acknowledged' },
      unexpected: { meaning: 'stored but never attempted, or never sent', per: 'committed' },
      duplicatedDelivery: { meaning: 'delivered to a worker more than once (or with a delivery count > 1)', per: 'committed', aliases: ['duplicated'], metricAliases: ['duplicated'] },
      duplicatedProcessing: { meaning: 'stored with a processing count > 1 (the work was done twice)', per: 'committed' },
      recovered: { meaning: 'indeterminate outcome for the client, stored after all', per: 'attempted' },
      indeterminate: { meaning: 'indeterminate outcome for the client, not stored', per: 'attempted' },
      deadLettered: { meaning: 'dead-lettered and never stored (reported, not lost)', per: 'acknowledged' },
      pending: { meaning: 'not stored and still in doubt when the drain hit its limit (neither lost nor indeterminate)' },
    },
  },
  ordering: {
    summary: 'comments, per song: commit order against send order',
    metricPrefix: 'ordering',
    aliases: ['ordering', 'order'],
    counts: {
      keys: { meaning: 'songs with comments acknowledged or stored' },
      ordered: { meaning: 'stored comments carrying both commit order and send order' },
      inversions: { meaning: 'stored comments sent before one stored ahead of them for the same song', per: 'ordered' },
      gaps: { meaning: 'acknowledged comments of a song never stored', per: 'ordered' },
      keysOutOfOrder: { meaning: 'songs with at least one inversion' },
      keysWithGaps: { meaning: 'songs with at least one gap' },
    },
  },
  'fan-out': {
    summary: 'song-added: every stored song reached every subscriber exactly once',
    metricPrefix: 'fanout',
    aliases: ['fanout'],
    counts: {
      events: { meaning: 'stored songs (each one event)' },
      subscribers: { meaning: 'subscribers of the event' },
      expected: { meaning: 'events × subscribers' },
      delivered: { meaning: 'event copies a subscriber received' },
      published: { meaning: 'songs whose event the api published' },
      missing: { meaning: 'copies never received and never dead-lettered', per: 'expected' },
      duplicated: { meaning: 'copies a subscriber received more than once', per: 'expected' },
      deadLettered: { meaning: "copies the subscriber's delivery dead-lettered and it never received", per: 'expected' },
      unexpected: { meaning: 'events for an operation that is not a stored upload' },
      pending: { meaning: 'copies never received that were in doubt at the drain limit or published after the drain' },
    },
  },
  integrity: {
    summary: 'uploads: the stored song matches the uploaded bytes (sha256)',
    metricPrefix: 'integrity',
    aliases: ['integrity'],
    counts: {
      checked: { meaning: 'stored uploads whose checksums were compared' },
      mismatched: { meaning: 'stored uploads whose sha256 differs from the one sent', per: 'checked', aliases: ['mismatches'], metricAliases: ['integrity_failures'] },
      unknown: { meaning: 'stored uploads where one side has no checksum' },
    },
  },
  'client-visible': {
    summary: 'per message flow: operations the user saw fail (informational, does not judge the flow)',
    metricPrefix: 'client',
    aliases: ['clientvisible'],
    counts: {
      failed: { meaning: 'operations the user saw fail and never acknowledged by a retry' },
      timeout: { meaning: 'of those: no answer in time' },
      serverError: { meaning: 'of those: a 5xx answer' },
      refused: { meaning: 'of those: no connection' },
      other: { meaning: 'of those: a reset or a 4xx' },
      stored: { meaning: 'of those: stored by the backend anyway' },
    },
  },
  latency: {
    summary: 'per hop, samples and latency summaries from the intended start (HdrHistogram); the gate metrics are `<hop>_latency`',
    metricPrefix: 'latency',
    aliases: ['latency'],
    counts: {
      e2e: { meaning: 'samples of stored (event: received) − intended' },
      publishDelay: { meaning: 'samples of sent − intended (message flows)' },
      request: { meaning: 'samples of acknowledged − sent (message flows)' },
      broker: { meaning: 'samples of received by the worker − broker acknowledged (message flows)' },
      process: { meaning: 'samples of stored − received (message flows)' },
      event: { meaning: 'samples of received by a subscriber − stored (song-added)' },
    },
  },
} as const satisfies Record<string, CheckerInfo>;

export type Catalogue = typeof CATALOGUE;
export type CheckerName = keyof Catalogue;
export type CountKey<C extends CheckerName> = keyof Catalogue[C]['counts'] & string;

export const CHECKER_NAMES = Object.keys(CATALOGUE) as CheckerName[];

/** The checker's count names, in the order its results list them. */
export function countKeys<C extends CheckerName>(checker: C): Array<CountKey<C>> {
  return Object.keys(CATALOGUE[checker].counts) as Array<CountKey<C>>;
}

export function countInfo(checker: CheckerName, count: string): CountInfo | undefined {
  return (CATALOGUE[checker].counts as Record<string, CountInfo>)[count];
}

/** duplicatedDelivery → duplicated_delivery */
export function snakeCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** lost, duplicated_delivery, fanout_missing: the gate's name of a count. */
export function metricName(checker: CheckerName, count: string): string {
  const snake = snakeCase(count);
  const prefix = CATALOGUE[checker].metricPrefix;
  return prefix === '' ? snake : `${prefix}_${snake}`;
}

export interface CounterMetric {
  name: string;
  checker: CheckerName;
  count: string;
  per: string;
  meaning: string;
  /** older names of the same metric */
  aliases: readonly string[];
}

/** Every count with a denominator, as a gate counter metric, in catalogue order. */
export const COUNTER_METRIC_LIST: readonly CounterMetric[] = CHECKER_NAMES.flatMap((checker) =>
  Object.entries(CATALOGUE[checker].counts as Record<string, CountInfo>)
    .filter(([, info]) => info.per !== undefined)
    .map(([count, info]) => ({ name: metricName(checker, count), checker, count, per: info.per!, meaning: info.meaning, aliases: info.metricAliases ?? [] })),
);
