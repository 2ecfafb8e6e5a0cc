/**
 * A suite: a named list of scenarios, each with optional overrides (a shorter duration, other
 * faults) merged over the scenario as written, then validated as any scenario is. A suite is a
 * shipped name (./suites.ts) or a JSON file; every problem in it (its shape, each entry's
 * scenario file, each merged scenario) is reported at once as one UserError (exit 2).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { UserError } from '../contracts/errors.ts';
import { formatIssues, loadScenario, validateScenario, type LoadedScenario } from '../scenario/loader.ts';
import { DEFAULT_SUITE, SHIPPED_SUITES } from './suites.ts';

const entrySchema = z.strictObject({
  scenario: z.string().min(1, { error: 'a scenario file (.ts or .json), relative to the suite file' }),
  /** shown name in the matrix (default: the scenario's own name); must be unique in the suite */
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'lower-case letters, digits and dashes, e.g. "broker-kill"' }).optional(),
  overrides: z.record(z.string(), z.unknown()).optional(),
});

export const suiteFileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().default(''),
  entries: z.array(entrySchema).min(1, { error: 'a suite needs at least one entry' }),
});
export type SuiteFile = z.input<typeof suiteFileSchema>;

export interface SuiteEntry {
  name: string;
  file: string;
  loaded: LoadedScenario;
  overridden: boolean;
}

export interface Suite {
  name: string;
  description: string;
  /** the suite file, or "shipped" */
  file: string;
  entries: SuiteEntry[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and values replace. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? deepMerge(base[k], v) : v;
  return out;
}

function readSuiteFile(ref: string): { suite: SuiteFile; baseDir: string; file: string } {
  const shipped = SHIPPED_SUITES[ref];
  if (shipped) return { ...shipped(), file: `shipped:${ref}` };
  const file = resolve(ref);
  if (!existsSync(file)) throw new UserError(`suite "${ref}": not a shipped suite (${Object.keys(SHIPPED_SUITES).join(', ')}) and no such file; give one of those names or a suite JSON file`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new UserError(`suite ${ref}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = suiteFileSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`suite ${ref}: invalid suite (${parsed.error.issues.length} problem${parsed.error.issues.length === 1 ? '' : 's'}):\n${formatIssues(parsed.error.issues)}`);
  return { suite: parsed.data, baseDir: dirname(file), file };
}

async function loadEntry(entry: z.infer<typeof entrySchema>, index: number, baseDir: string): Promise<SuiteEntry> {
  const path = resolve(baseDir, entry.scenario);
  const loaded = await loadScenario(path);
  if (!entry.overrides && !entry.name) return { name: loaded.scenario.name, file: loaded.file, loaded, overridden: false };
  const merged = deepMerge(loaded.scenario, { ...(entry.overrides ?? {}), ...(entry.name ? { name: entry.name } : {}) });
  const scenario = validateScenario(merged, `entries.${index} (${entry.scenario} with overrides)`);
  return { name: scenario.name, file: loaded.file, loaded: { file: loaded.file, scenario }, overridden: true };
}

export async function loadSuite(ref = DEFAULT_SUITE): Promise<Suite> {
  const { suite, baseDir, file } = readSuiteFile(ref);
  const parsed = suiteFileSchema.parse(suite);
  const problems: string[] = [];
  const entries: SuiteEntry[] = [];
  for (const [index, entry] of parsed.entries.entries()) {
    try {
      entries.push(await loadEntry(entry, index, baseDir));
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      problems.push(`  - entries.${index}: ${error.message.replace(/\n/g, '\n    ')}`);
    }
  }
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.name)) problems.push(`  - scenario name "${entry.name}" appears twice: give one entry a "name"`);
    seen.add(entry.name);
  }
  if (problems.length) throw new UserError(`suite ${ref}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.join('\n')}`);
  return { name: parsed.name, description: parsed.description, file, entries };
}
