/**
 * The Python conformance suites (test/conformance/python/test_*.py, official Azure SDKs from
 * PyPI, unmodified) against one in-process start of the emulators. pytest runs once over every
 * file; each file is one vitest test that fails with pytest's report of its failing cases.
 * A missing venv fails with the command that makes it; MOSHPIT_SKIP_PYTHON=1 skips instead.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLine, tail, parseJUnit, REPO_ROOT, runChild, startConformanceEmulators, type ConformanceEmulators, type JUnitCase } from './harness.ts';

const SUITE_DIR = join(REPO_ROOT, 'test/conformance/python');
const PYTHON = join(REPO_ROOT, process.env.MOSHPIT_PY_VENV ?? '.cache/python-sdks', 'bin/python');
const PYTEST_TIMEOUT_MS = 150_000;
const files = readdirSync(SUITE_DIR).filter((f) => /^test_.*\.py$/.test(f)).sort();
const skip = process.env.MOSHPIT_SKIP_PYTHON === '1';

let emulators: ConformanceEmulators | undefined;
let setupError: string | undefined;
let cases: JUnitCase[] = [];
let pytestOutput = '';

async function runPytest(): Promise<void> {
  if (!existsSync(PYTHON)) {
    setupError = `no Python venv at ${PYTHON}: run \`bash scripts/install-python-sdks.sh\` (or set MOSHPIT_SKIP_PYTHON=1 to skip the Python conformance suites)`;
    return;
  }
  emulators = await startConformanceEmulators();
  const reportDir = mkdtempSync(join(tmpdir(), 'moshpit-pytest-'));
  const xml = join(reportDir, 'junit.xml');
  try {
    const result = await runChild(PYTHON, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', `--junitxml=${xml}`, ...files], { cwd: SUITE_DIR, env: { ...emulators.env, PYTHONDONTWRITEBYTECODE: '1' }, timeoutMs: PYTEST_TIMEOUT_MS });
    pytestOutput = result.output;
    if (result.timedOut) setupError = `pytest did not finish within ${PYTEST_TIMEOUT_MS / 1000} s (killed); its output:\n${tail(result.output)}`;
    else if (!existsSync(xml)) setupError = `pytest wrote no report (exit ${result.code}); its output:\n${tail(result.output)}`;
    else cases = parseJUnit(readFileSync(xml, 'utf8'));
    console.log(countLine('python conformance (pytest)', cases, result.durationMs));
    for (const file of files) {
      const mine = casesOf(file);
      console.log(`  ${countLine(file, mine, mine.reduce((sum, c) => sum + c.timeS * 1000, 0))}`);
    }
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** pytest's classname is the module path (`test_service_bus` or `test_service_bus.TestClass`); collection errors carry the module in name. */
function casesOf(file: string): JUnitCase[] {
  const module = file.replace(/\.py$/, '');
  return cases.filter((c) => c.classname === module || c.classname.startsWith(`${module}.`) || (c.classname === '' && c.name === module));
}

describe.skipIf(skip)('official Python SDKs against the emulators', () => {
  beforeAll(runPytest, PYTEST_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await emulators?.close();
  });

  it.each(files)('%s', (file) => {
    if (setupError) throw new Error(setupError);
    const mine = casesOf(file);
    if (!mine.length) throw new Error(`pytest reported no test cases for ${file}; its output:\n${tail(pytestOutput)}`);
    const failed = mine.filter((c) => c.outcome === 'failed');
    const report = failed.map((c) => `--- ${c.classname}::${c.name}\n${tail(c.detail, 3000)}`).join('\n');
    expect(failed.length, `${failed.length} of ${mine.length} Python tests failed in ${file}:\n${report}`).toBe(0);
  });
});
