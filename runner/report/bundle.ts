/**
 * Builds report.html: report-ui is built with Vite's JS API once per version of its sources
 * (cached in node_modules/.cache/moshpit-report-ui/<hash>/template.html), then the results are
 * inlined into that template. The output is one file with no external references.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../contracts/errors.ts';
import { writeFileAtomic } from '../contracts/atomic-write.ts';
import { readResultsFile } from '../results/reader.ts';
import type { Results } from '../results/schema.ts';
import { redactResults } from '../../report-ui/src/data/redact.ts';
import { downsampleResults } from './downsample.ts';
import { fillTemplate, inlineBuiltHtml } from './inline.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const UI_ROOT = join(REPO_ROOT, 'report-ui');
/** Outside report-ui but bundled into it: the shared verdict and the data it imports. */
const SHARED_SOURCES = () => [
  join(REPO_ROOT, 'runner', 'verdict'),
  join(REPO_ROOT, 'runner', 'checkers', 'catalogue.ts'),
  join(REPO_ROOT, 'profiles', 'promises.json'),
  // every technology folder's tier files (report-ui/src/data/tiers.ts globs them)
  ...readdirSync(join(REPO_ROOT, 'fixtures')).map((dir) => join(REPO_ROOT, 'fixtures', dir, 'tiers')).filter((dir) => existsSync(dir)),
];
export const REPORT_CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'moshpit-report-ui');
/** Bump when the way the template is produced changes (invalidates every cached build). */
const TEMPLATE_FORMAT = 1;
const BUILD_DEPENDENCIES = ['vite', '@vitejs/plugin-react', 'react', 'react-dom', 'recharts'];

/** Hash of report-ui's sources and config, the template format and the build dependencies' versions. */
export function reportUiSourceHash(): string {
  const hash = createHash('sha256').update(`format ${TEMPLATE_FORMAT}\n`);
  for (const file of listSources(UI_ROOT)) {
    hash.update(`${relative(UI_ROOT, file)}\n`).update(readFileSync(file)).update('\n');
  }
  for (const file of SHARED_SOURCES().flatMap((p) => (statSync(p).isDirectory() ? listSources(p) : [p]))) {
    hash.update(`${relative(REPO_ROOT, file)}\n`).update(readFileSync(file)).update('\n');
  }
  for (const name of BUILD_DEPENDENCIES) hash.update(`${name}@${installedVersion(name)}\n`);
  return hash.digest('hex').slice(0, 16);
}

function installedVersion(name: string): string {
  try {
    const manifest = readFileSync(join(REPO_ROOT, 'node_modules', name, 'package.json'), 'utf8');
    return (JSON.parse(manifest) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'missing';
  }
}

function listSources(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    if (entry.name.includes('.timestamp-')) continue; // Vite's temporary bundled config
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listSources(path));
    else if (entry.isFile()) files.push(path);
  }
  return files.sort();
}

const inFlight = new Map<string, Promise<string>>();

/** The inlined UI with a data placeholder; built at most once per source hash (per machine). */
export async function reportTemplate(): Promise<string> {
  const key = reportUiSourceHash();
  const cached = join(REPORT_CACHE_DIR, key, 'template.html');
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  let pending = inFlight.get(key);
  if (!pending) {
    pending = buildOnce(cached).finally(() => inFlight.delete(key));
    inFlight.set(key, pending);
  }
  return pending;
}

const LOCK_STALE_MS = 180_000;
const LOCK_POLL_MS = 250;

/**
 * Across processes (parallel test files, concurrent reports) one builds while the others wait
 * for its template; a lock left by a crashed builder goes stale after LOCK_STALE_MS.
 */
async function buildOnce(cachedFile: string): Promise<string> {
  const lock = `${dirname(cachedFile)}.lock`;
  mkdirSync(dirname(lock), { recursive: true });
  const deadline = Date.now() + LOCK_STALE_MS;
  while (!tryLock(lock)) {
    if (existsSync(cachedFile)) return readFileSync(cachedFile, 'utf8');
    if (Date.now() > deadline || lockAgeMs(lock) > LOCK_STALE_MS) break; // builder died: build anyway
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
  try {
    if (existsSync(cachedFile)) return readFileSync(cachedFile, 'utf8');
    return await buildTemplate(cachedFile);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function tryLock(lock: string): boolean {
  try {
    mkdirSync(lock);
    return true;
  } catch {
    return false;
  }
}

function lockAgeMs(lock: string): number {
  try {
    return Date.now() - statSync(lock).mtimeMs;
  } catch {
    return 0;
  }
}

async function buildTemplate(cachedFile: string): Promise<string> {
  const { build } = await import('vite');
  const { reportUiConfig } = await import('../../report-ui/vite.config.ts');
  const outDir = `${dirname(cachedFile)}.build-${process.pid}-${randomBytes(4).toString('hex')}`;
  const savedNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production'; // React's production build, also under vitest (NODE_ENV=test)
  try {
    await build({ ...reportUiConfig(outDir), configFile: false, mode: 'production' });
    const template = inlineBuiltHtml(outDir);
    mkdirSync(dirname(cachedFile), { recursive: true });
    // concurrent builders each write their own temp file and rename: readers never see half a file
    writeFileAtomic(cachedFile, template);
    return template;
  } finally {
    if (savedNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = savedNodeEnv;
    rmSync(outDir, { recursive: true, force: true });
  }
}

/** One self-contained HTML page (JS, CSS and data inlined) comparing the given results (timelines downsampled). */
export async function buildReportHtml(results: Results[]): Promise<string> {
  const template = await reportTemplate();
  return fillTemplate(template, results.map((r) => downsampleResults(redactResults(r))));
}

/** Reads and validates every results file (UserError on bad input), writes the report atomically. */
export async function writeReport(resultsFiles: string[], outFile: string): Promise<void> {
  if (resultsFiles.length === 0) throw new UserError('no results files given: pass at least one results.json');
  const results = resultsFiles.map((file) => readResultsFile(file));
  const target = resolve(outFile);
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new UserError(`--out ${outFile} is a directory: give a file name such as ${join(outFile, 'report.html')}`);
  }
  const html = await buildReportHtml(results);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, html);
  } catch (error) {
    throw new UserError(`cannot write the report to ${outFile}: ${(error as Error).message}`);
  }
}
