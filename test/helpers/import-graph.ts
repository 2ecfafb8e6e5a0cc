/**
 * A small import-graph scanner for tests: reads every .ts file under a folder, finds its
 * relative imports (`import … from './x.ts'`, `export … from`, `import('./x.ts')`, type-only
 * ones too) and reports the circles among those files. Regex-based on purpose: the project's
 * imports are all static, relative and spelled with their `.ts` extension.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

export function tsFilesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** file → the files it imports (only those under `root`), paths relative to `root`. */
export function importGraph(root: string): Map<string, string[]> {
  const files = tsFilesUnder(root);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const targets = new Set<string>();
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1] ?? match[2]!);
      if (files.includes(target)) targets.add(relative(root, target));
    }
    graph.set(relative(root, file), [...targets].sort());
  }
  return graph;
}

/** Each circle once, as the list of files around it (first file repeated at the end). */
export function findCircles(graph: Map<string, string[]>): string[][] {
  const circles: string[][] = [];
  const seen = new Set<string>();
  const done = new Set<string>();
  const visit = (file: string, path: string[]): void => {
    if (done.has(file)) return;
    const at = path.indexOf(file);
    if (at >= 0) {
      const circle = path.slice(at);
      const key = [...circle].sort().join(' ');
      if (!seen.has(key)) circles.push([...circle, file]);
      seen.add(key);
      return;
    }
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    done.add(file);
  };
  for (const file of graph.keys()) visit(file, []);
  return circles;
}
