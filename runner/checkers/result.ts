/** Small helpers shared by the checkers: capped example lists and validity arithmetic. */
import type { CheckResult, Validity } from '../results/schema.ts';

/** At most this many example ids per category. */
export const EXAMPLE_CAP = 20;

/** Counts per category plus the first EXAMPLE_CAP example ids of each. */
export class Tally<K extends string> {
  readonly counts: Record<string, number> = {};
  readonly examples: Record<string, string[]> = {};

  constructor(categories: readonly K[], withExamples: readonly K[] = categories) {
    for (const c of categories) this.counts[c] = 0;
    for (const c of withExamples) this.examples[c] = [];
  }

  /** Count one occurrence; `id` joins the examples while there is room. */
  hit(category: K, id?: string): void {
    this.counts[category]++;
    const list = this.examples[category];
    if (id !== undefined && list && list.length < EXAMPLE_CAP && !list.includes(id)) list.push(id);
  }

  set(category: K, value: number): void {
    this.counts[category] = value;
  }

  /** Keep `id` as an example of `category` without counting (the caller counts in a local). */
  example(category: K, id: string): void {
    const list = this.examples[category];
    if (list.length < EXAMPLE_CAP && !list.includes(id)) list.push(id);
  }
}

export function result(checker: string, valid: Validity, tally: Tally<string>, notes: string[] = []): CheckResult {
  return { checker, valid, counts: tally.counts, examples: tally.examples, notes };
}

/** false if any is false; "unknown" if none is false and any is unknown; else true. */
export function combineValidity(values: Iterable<Validity>): Validity {
  let unknown = false;
  for (const v of values) {
    if (v === false) return false;
    if (v === 'unknown') unknown = true;
  }
  return unknown ? 'unknown' : true;
}
