/**
 * Loads a target file (schema.ts) and resolves it into what a run needs: the endpoints handed
 * to the music backend (the same shape moshpit's emulators print), the entity names, which kind
 * of broker each section is, every endpoint (for the loopback guard) and every secret (to keep
 * out of results, reports, logs and history). Nothing here connects anywhere.
 *
 * Every problem of the file, and of the file against the technologies of the run, is reported
 * at once as one UserError (exit 2), each naming its field and the fix.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { z } from 'zod';
import { UserError } from '../contracts/errors.ts';
import type { Tech } from '../techs.ts';
import { readJsonc } from '../../fixtures/emulators/common/jsonc.ts';
import { formatIssues } from '../scenario/loader.ts';
import { targetFileSchema, targetSections, type TargetFile } from './schema.ts';
import { profileOf } from '../../fixtures/technologies.ts';
import type { ResolvedSections, TargetSection } from './sections.ts';

export type { FlowNames, TargetKind, TargetSection } from './sections.ts';

export interface Target extends ResolvedSections {
  /** the file as the user named it */
  file: string;
}

/** The sections a technology's run needs (storage always: claim-check blobs, checkpoints, dead-letters); the last is the broker's. */
export const sectionsOf = (tech: Tech): readonly TargetSection[] => profileOf(tech).target.sections;

/** The section of a technology's broker (the last of its sections). */
export const brokerSectionOf = (tech: Tech): TargetSection => sectionsOf(tech).at(-1)!;

/** The target's tier of a technology's broker (standard when the file names none). */
export const brokerTierOf = (target: Target, tech: Tech): string => target.tiers[brokerSectionOf(tech)] ?? 'standard';

type Problems = string[];

/** Every section of the file, resolved by the technology that brings it (registry order: storage first). */
function resolveSections(file: TargetFile, env: NodeJS.ProcessEnv, problems: Problems): ResolvedSections {
  const out: ResolvedSections = { endpoints: {}, kinds: {}, tiers: {}, names: {}, urls: [], secrets: [] };
  const controlKey = file.controlKey ?? (file.controlKeyEnv ? env[file.controlKeyEnv] : undefined);
  if (file.controlKeyEnv && !controlKey) problems.push(`controlKeyEnv: the environment variable ${file.controlKeyEnv} is not set`);
  if (controlKey) out.endpoints.controlKey = controlKey, out.secrets.push(controlKey);
  for (const section of targetSections()) {
    const given = file[section.key] as { tier?: string } | undefined;
    if (!given) continue;
    section.resolve(given, { env, problems, out });
    out.tiers[section.key] = given.tier ?? section.defaultTier;
  }
  return { ...out, secrets: [...new Set(out.secrets)] };
}

function zodProblems(error: z.ZodError): Problems {
  return formatIssues(error.issues).split('\n').map((line) => line.replace(/^ {2}- /, ''));
}

/**
 * The file with every field the schema refused removed (a few rounds: removing a required field
 * can fail its parent), so the semantic checks still run on the rest and all problems are told
 * at once. Returns the parsed rest and the removed paths.
 */
function salvage(raw: unknown, issues: z.core.$ZodIssue[]): { data?: TargetFile; removed: string[] } {
  const value = structuredClone(raw) as Record<string, unknown>;
  const removed: string[] = [];
  let pending = issues;
  for (let round = 0; round < 4 && value && typeof value === 'object'; round++) {
    for (const issue of pending) {
      // a field removed already and still required: remove the object holding it
      let path = issue.path;
      while (path.length && removed.includes(path.join('.'))) path = path.slice(0, -1);
      if (!path.length) return { removed };
      let node = value as Record<PropertyKey, unknown>;
      for (const key of path.slice(0, -1)) node = (node?.[key as PropertyKey] ?? undefined) as Record<PropertyKey, unknown>;
      if (node && typeof node === 'object') delete node[path.at(-1) as PropertyKey];
      removed.push(path.join('.'));
    }
    const again = targetFileSchema().safeParse(value);
    if (again.success) return { data: again.data, removed };
    pending = again.error.issues;
  }
  return { removed };
}

/** Reads, validates and resolves a target file for these technologies; throws one UserError naming every problem. */
export function loadTarget(path: string, techs: readonly Tech[], env: NodeJS.ProcessEnv = process.env): Target {
  if (!existsSync(path) || statSync(path).isDirectory()) throw new UserError(`--target: ${path} is not a file; give a target file (JSON), e.g. the line \`moshpit emulators start --json\` prints, saved to target.json`);
  let raw: unknown;
  try {
    raw = readJsonc(readFileSync(path, 'utf8'), path);
  } catch (error) {
    throw new UserError(`--target: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = targetFileSchema().safeParse(raw);
  const problems: Problems = parsed.success ? [] : zodProblems(parsed.error);
  const rest = parsed.success ? { data: parsed.data, removed: [] } : salvage(raw, parsed.error.issues);
  let target: Target | undefined;
  if (rest.data) {
    const data = rest.data;
    const semantic: Problems = [];
    target = { file: path, ...resolveSections(data, env, semantic) };
    // a field the schema refused is told once, by the schema
    problems.push(...semantic.filter((p) => !rest.removed.some((r) => p.startsWith(r))));
    const needed = [...new Set(techs.flatMap((t) => sectionsOf(t)))];
    for (const section of needed.filter((s) => !data[s] && !rest.removed.includes(s))) {
      const who = techs.filter((t) => sectionsOf(t).includes(section)).join(', ');
      const example = targetSections().find((s) => s.key === section)?.example ?? `"${section}": {...}`;
      problems.push(`${section}: missing; ${who} need${who.includes(',') ? '' : 's'} it (add ${example}, or leave ${who} out with --tech)`);
    }
  }
  if (problems.length || !target || !parsed.success) {
    throw new UserError(`--target ${path}: invalid target file (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return target;
}
