/**
 * The Java conformance suites (JUnit 5 classes under test/conformance/java, official Azure SDKs
 * for Java from Maven, unmodified) against one in-process start of the emulators: one offline
 * Maven run (`mvn -o -q -B -f test/conformance/java/pom.xml test`) for every class, then one
 * vitest test per class reading Surefire's reports. Skipped, saying why, without java or mvn on
 * PATH or with MOSHPIT_SKIP_JAVA=1.
 */
import { accessSync, constants, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countLine, tail, parseJUnit, REPO_ROOT, runChild, startConformanceEmulators, type ConformanceEmulators, type JUnitCase } from './harness.ts';

const PROJECT_DIR = join(REPO_ROOT, 'test/conformance/java');
const CLASS_DIR = join(PROJECT_DIR, 'src/test/java/dev/moshpit/conformance');
const REPORT_DIR = join(PROJECT_DIR, 'target/surefire-reports');
const MAVEN_TIMEOUT_MS = 150_000;
const classes = existsSync(CLASS_DIR) ? readdirSync(CLASS_DIR).filter((f) => /Test\.java$/.test(f)).map((f) => f.replace(/\.java$/, '')).sort() : [];

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

const missing = ['java', 'mvn'].filter((c) => !onPath(c));
const skipReason = process.env.MOSHPIT_SKIP_JAVA === '1' ? 'MOSHPIT_SKIP_JAVA=1' : missing.length ? `${missing.join(' and ')} not on PATH` : undefined;
const advice = missing.length ? '; install a JDK 17+ and Maven, then run `bash scripts/install-java-sdks.sh`' : '';
if (skipReason) console.log(`java conformance: skipped (${skipReason})${advice}`);

let emulators: ConformanceEmulators | undefined;
let setupError: string | undefined;
let cases: JUnitCase[] = [];
let mavenOutput = '';

function readReports(): JUnitCase[] {
  if (!existsSync(REPORT_DIR)) return [];
  return readdirSync(REPORT_DIR).filter((f) => /^TEST-.*\.xml$/.test(f)).flatMap((f) => parseJUnit(readFileSync(join(REPORT_DIR, f), 'utf8')));
}

async function runMaven(): Promise<void> {
  emulators = await startConformanceEmulators();
  rmSync(REPORT_DIR, { recursive: true, force: true });
  // a short-lived JVM: quick JIT and a small GC beat peak throughput here
  const env = { ...emulators.env, MAVEN_OPTS: `${process.env.MAVEN_OPTS ?? ''} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC`.trim() };
  const result = await runChild('mvn', ['-o', '-q', '-B', '-f', join(PROJECT_DIR, 'pom.xml'), 'test'], { env, timeoutMs: MAVEN_TIMEOUT_MS });
  mavenOutput = result.output;
  cases = readReports();
  if (result.timedOut) setupError = `mvn did not finish within ${MAVEN_TIMEOUT_MS / 1000} s (killed); its output:\n${tail(result.output)}`;
  else if (!cases.length) setupError = `mvn wrote no Surefire report (exit ${result.code}; did \`bash scripts/install-java-sdks.sh\` run? the build is offline); its output:\n${tail(result.output)}`;
  console.log(countLine('java conformance (surefire)', cases, result.durationMs));
  for (const name of classes) {
    const mine = casesOf(name);
    console.log(`  ${countLine(name, mine, mine.reduce((sum, c) => sum + c.timeS * 1000, 0))}`);
  }
}

/** Surefire's classname is the fully qualified class. */
function casesOf(name: string): JUnitCase[] {
  return cases.filter((c) => c.classname === `dev.moshpit.conformance.${name}` || c.classname.endsWith(`.${name}`));
}

describe.skipIf(skipReason !== undefined)('official Java SDKs against the emulators', () => {
  beforeAll(runMaven, MAVEN_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await emulators?.close();
  });

  it.each(classes)('%s', (name) => {
    if (setupError) throw new Error(setupError);
    const mine = casesOf(name);
    if (!mine.length) throw new Error(`Surefire reported no test cases for ${name} (compile error?); mvn's output:\n${tail(mavenOutput)}`);
    const failed = mine.filter((c) => c.outcome === 'failed');
    const report = failed.map((c) => `--- ${c.name}\n${tail(c.detail, 3000)}`).join('\n');
    expect(failed.length, `${failed.length} of ${mine.length} Java tests failed in ${name}:\n${report}`).toBe(0);
  });
});
