/**
 * The boundary between the harness and the system under test (issue 13): runner/ and the music
 * backend share only runner/contracts/ (history records, errors, control-API schemas, backend
 * config, the database's export format, the parent watchdog). Rules, each checked on every
 * import specifier (static, type-only, re-export and dynamic `import()`) of the source files:
 *   (a) a file under runner/ imports nothing under fixtures/music-backend/ except public.ts;
 *   (b) a file under fixtures/music-backend/ imports from runner/ only runner/contracts/** and
 *       runner/techs.ts (the technology names);
 *   (c) an emulator file (fixtures/emulators/**, fixtures/<tech>/emulator/**) imports from runner/
 *       only runner/contracts/**;
 *   (d) runner/contracts/** imports only node: builtins, zod, each other and runner/techs.ts, so
 *       whoever imports a contract gets nothing of the runner with it.
 * Known exceptions are listed with their reason; one that is no longer needed fails too, so the
 * list only shrinks. Pure: reads and parses files, starts nothing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

interface Rule {
  name: string;
  /** the files the rule is about (repo-relative, '/'-separated) */
  appliesTo: (file: string) => boolean;
  /** undefined when the import is allowed; else why not */
  refuse: (file: string, target: string) => string | undefined;
}

/** "importer -> imported": allowed although a rule says no, with the reason. */
const EXCEPTIONS: Record<string, string> = {};

const isContract = (path: string) => path.startsWith('runner/contracts/');
const isEmulator = (path: string) => path.startsWith('fixtures/emulators/') || /^fixtures\/[^/]+\/emulator\//.test(path);

const RULES: Rule[] = [
  {
    name: '(a) runner/ reaches the music backend only through fixtures/music-backend/public.ts',
    appliesTo: (file) => file.startsWith('runner/'),
    refuse: (_, target) => (target.startsWith('fixtures/music-backend/') && target !== 'fixtures/music-backend/public.ts' ? 'import fixtures/music-backend/public.ts instead (add what the runner needs there)' : undefined),
  },
  {
    name: '(b) the music backend imports from runner/ only runner/contracts/** and runner/techs.ts',
    appliesTo: (file) => file.startsWith('fixtures/music-backend/'),
    refuse: (_, target) => (target.startsWith('runner/') && !isContract(target) && target !== 'runner/techs.ts' ? 'move what both sides need into runner/contracts/' : undefined),
  },
  {
    name: '(c) an emulator imports from runner/ only runner/contracts/**',
    appliesTo: isEmulator,
    refuse: (_, target) => (target.startsWith('runner/') && !isContract(target) ? 'move what both sides need into runner/contracts/ (or the emulator kit, fixtures/emulators/common/)' : undefined),
  },
  {
    name: '(d) runner/contracts/** imports only node: builtins, zod, each other and runner/techs.ts',
    appliesTo: isContract,
    refuse: (_, target) => (target.startsWith('node:') || target === 'zod' || isContract(target) || target === 'runner/techs.ts' ? undefined : 'a contract must not pull runner or backend code into whoever imports it'),
  },
];

function sourceFiles(dir: string): string[] {
  if (!existsSync(join(ROOT, dir))) return [];
  return readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|mts)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split(sep).join('/'))
    .sort();
}

/** Every module specifier of a file (ts.preProcessFile: imports, `export … from`, `import()`, `import type`), relative ones made repo-relative. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return importedFiles.map(({ fileName }) => (fileName.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), fileName)).split(sep).join('/') : fileName));
}

/** "rule: file imports target (why)" for every import a rule refuses; exceptions apart. */
function violations(files: readonly string[], imports: (file: string) => string[], rules: readonly Rule[] = RULES): { refused: string[]; excused: Set<string> } {
  const refused: string[] = [];
  const excused = new Set<string>();
  for (const file of files) {
    for (const target of imports(file)) {
      for (const rule of rules) {
        if (!rule.appliesTo(file)) continue;
        const why = rule.refuse(file, target);
        if (why === undefined) continue;
        const edge = `${file} -> ${target}`;
        if (EXCEPTIONS[edge]) excused.add(edge);
        else refused.push(`${rule.name}: ${file} imports ${target} (${why})`);
      }
    }
  }
  return { refused, excused };
}

const FILES = [...sourceFiles('runner'), ...sourceFiles('fixtures')];

describe('boundaries between the runner, the contracts, the backend and the emulators', () => {
  it('every import keeps to the rules', () => {
    expect(FILES.filter((f) => f.startsWith('runner/contracts/')).length).toBeGreaterThanOrEqual(8);
    expect(FILES.filter((f) => f.startsWith('fixtures/music-backend/')).length).toBeGreaterThan(10);
    const { refused } = violations(FILES, importsOf);
    expect(refused, refused.join('\n')).toEqual([]);
  });

  it('every exception is still needed', () => {
    const { excused } = violations(FILES, importsOf);
    const stale = Object.keys(EXCEPTIONS).filter((edge) => !excused.has(edge));
    expect(stale, `no longer needed, delete from EXCEPTIONS: ${stale.join('; ')}`).toEqual([]);
  });

  it('refuses a bad import, naming the file, the import and the rule', () => {
    const fake: Record<string, string[]> = {
      'runner/run/x.ts': ['fixtures/music-backend/db.ts', 'fixtures/music-backend/public.ts'],
      'fixtures/music-backend/y.ts': ['runner/stack/stack.ts', 'runner/contracts/history.ts', 'runner/techs.ts'],
      'fixtures/service-bus/emulator/z.ts': ['runner/faults/spec.ts', 'runner/contracts/control-api.ts'],
      'runner/contracts/w.ts': ['runner/checkers/index.ts', 'zod', 'node:fs', 'runner/contracts/errors.ts'],
    };
    const { refused } = violations(Object.keys(fake), (f) => fake[f]!);
    expect(refused).toEqual([
      '(a) runner/ reaches the music backend only through fixtures/music-backend/public.ts: runner/run/x.ts imports fixtures/music-backend/db.ts (import fixtures/music-backend/public.ts instead (add what the runner needs there))',
      '(b) the music backend imports from runner/ only runner/contracts/** and runner/techs.ts: fixtures/music-backend/y.ts imports runner/stack/stack.ts (move what both sides need into runner/contracts/)',
      '(c) an emulator imports from runner/ only runner/contracts/**: fixtures/service-bus/emulator/z.ts imports runner/faults/spec.ts (move what both sides need into runner/contracts/ (or the emulator kit, fixtures/emulators/common/))',
      '(d) runner/contracts/** imports only node: builtins, zod, each other and runner/techs.ts: runner/contracts/w.ts imports runner/checkers/index.ts (a contract must not pull runner or backend code into whoever imports it)',
    ]);
  });
});
