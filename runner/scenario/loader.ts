/**
 * Loads a scenario file (.ts/.mts/.js/.mjs exporting `defineScenario(...)` as default or as
 * `scenario`, or a .json file) and validates it. Every problem is reported at once, each with
 * its path, as one UserError (exit code 2).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { UserError } from '../contracts/errors.ts';
import { scenarioSchema, type Scenario } from './schema.ts';

const CODE_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export interface LoadedScenario {
  file: string;
  scenario: Scenario;
}

export async function loadScenario(path: string): Promise<LoadedScenario> {
  const file = resolve(path);
  if (!existsSync(file)) throw new UserError(`scenario file not found: ${path} (give a path to a .ts or .json scenario, e.g. scenarios/smoke.ts)`);
  if (statSync(file).isDirectory()) throw new UserError(`${path} is a directory; give a scenario file (${[...CODE_EXTENSIONS, '.json'].join(', ')}), e.g. ${join(path, 'mine.ts')}`);
  const raw = await readRaw(file, path);
  return { file, scenario: validateScenario(raw, path) };
}

async function readRaw(file: string, shown: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.json') {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UserError(`${shown}: not valid JSON (${(error as Error).message})`);
    }
  }
  if (!CODE_EXTENSIONS.includes(ext)) {
    throw new UserError(`${shown}: unsupported scenario file type "${ext}" (use ${[...CODE_EXTENSIONS, '.json'].join(', ')})`);
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    const message = (error as Error).message?.split('\n')[0] ?? String(error);
    throw new UserError(`${shown}: the scenario file failed to load: ${message}`);
  }
  const value = module.default ?? module.scenario;
  if (value === undefined) {
    throw new UserError(`${shown}: export the scenario as default: \`export default defineScenario({ ... })\``);
  }
  return value;
}

export function validateScenario(raw: unknown, shown: string): Scenario {
  const parsed = scenarioSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new UserError(`${shown}: invalid scenario (${parsed.error.issues.length} problem${parsed.error.issues.length === 1 ? '' : 's'}):\n${formatIssues(parsed.error.issues)}`);
}

export function formatIssues(issues: z.core.$ZodIssue[]): string {
  return issues.map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(root)'}: ${describeIssue(issue)}`).join('\n');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling; see the README's scenario reference)`;
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) return `missing (required): ${issue.message.replace(/^Invalid input: /, '').replace(/, received undefined$/, '')}`;
  return issue.message;
}
