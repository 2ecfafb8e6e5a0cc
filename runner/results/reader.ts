/**
 * Reads and validates a results.json (v1). Every failure is a UserError (exit 2) whose message
 * names the file and says what is wrong and how to fix it; never a stack trace.
 */
import { readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { UserError } from '../contracts/errors.ts';
import { RESULTS_SCHEMA_ID, RESULTS_VERSION, resultsSchema, type Results } from './schema.ts';

const MAX_LISTED_ISSUES = 20;

export function readResultsFile(path: string): Results {
  const text = readText(path);
  const data = parseJson(path, text);
  checkEnvelope(path, data);
  const parsed = resultsSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new UserError(describeIssues(path, parsed.error.issues));
  return parsed.data;
}

function readText(path: string): string {
  try {
    if (statSync(path).isDirectory()) {
      throw new UserError(`${path} is a directory, not a results file: give the results.json inside it (e.g. ${path}/results.json)`);
    }
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UserError(`results file not found: ${path} (check the path; \`moshpit run --out DIR\` writes DIR/results.json)`);
    }
    if (code === 'EACCES') throw new UserError(`cannot read results file ${path}: permission denied`);
    throw new UserError(`cannot read results file ${path}: ${(error as Error).message}`);
  }
}

function parseJson(path: string, text: string): unknown {
  if (text.trim() === '') throw new UserError(`${path} is empty: expected a moshpit results.json`);
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? ` at ${lineAndColumn(text, Number(position[1]))}` : '';
    throw new UserError(`${path} is not valid JSON${where}: ${message}`);
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function checkEnvelope(path: string, data: unknown): void {
  const envelope = data as { schema?: unknown; version?: unknown } | null;
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope) || envelope.schema !== RESULTS_SCHEMA_ID) {
    const found = envelope !== null && typeof envelope === 'object' && 'schema' in envelope ? ` (found "schema": ${JSON.stringify(envelope.schema)})` : '';
    throw new UserError(
      `${path} is not a moshpit results file: expected an object with "schema": "${RESULTS_SCHEMA_ID}"${found}. ` +
        'Give the results.json written by `moshpit run`.',
    );
  }
  if (envelope.version !== RESULTS_VERSION) {
    throw new UserError(
      `${path} has results version ${JSON.stringify(envelope.version)}, which this moshpit does not read ` +
        `(supported versions: ${RESULTS_VERSION}). Re-run the scenario with this moshpit, or use the moshpit that wrote it.`,
    );
  }
}

/** `runs[0].flows.uploads.valid` style paths. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(root)';
}

function describeIssues(path: string, issues: readonly z.core.$ZodIssue[]): string {
  const lines = issues.slice(0, MAX_LISTED_ISSUES).map((issue) => `  - ${jsonPath(issue.path)}: ${describeIssue(issue)}`);
  if (issues.length > MAX_LISTED_ISSUES) lines.push(`  ... and ${issues.length - MAX_LISTED_ISSUES} more`);
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return `${path} is not a valid moshpit results file (version ${RESULTS_VERSION}); ${issues.length} ${noun}:\n${lines.join('\n')}`;
}

/** "expected number, found \"x\"" / "missing (expected number)" / "expected true, false or \"unknown\"". */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  const found = input === undefined ? '' : `, found ${preview(input)}`;
  if (issue.code === 'invalid_type') {
    return input === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected}${found}`;
  }
  if (issue.code === 'invalid_value') return `expected ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${found}`;
  if (issue.code === 'invalid_union') {
    const options = issue.errors.flatMap((branch) => branch.slice(0, 1).map(expectedOf)).filter(Boolean);
    if (options.length > 0) return `expected ${options.join(' or ')}${found}`;
  }
  return issue.message.replace(/^Invalid input: /, '') + found;
}

function expectedOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') return issue.expected;
  if (issue.code === 'invalid_value') return issue.values.map((v) => JSON.stringify(v)).join(' or ');
  return '';
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
