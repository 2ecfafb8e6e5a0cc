/**
 * Scenario files are loaded as k6 loads a script: from any folder, with no package.json, no
 * "type": "module" and no node_modules/moshpit beside them. Each case runs the real CLI from a
 * temporary folder outside the project; the cases run in parallel to keep the file fast.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareRun } from '../../runner/run/run-scenario.ts';

const BIN = resolve('bin/moshpit.mjs');

interface Outcome {
  status: number | null;
  stderr: string;
}

function cli(cwd: string, ...args: string[]): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', fail);
    child.once('exit', (status) => {
      clearTimeout(timer);
      done({ status, stderr });
    });
  });
}

const BODY = `name: 'mine', description: 'a scenario kept outside the project', seed: 1, duration: '3s', drainLimit: '5s',
  techs: ['storage-queue'], load: { uploads: { rate: 2, sizeBytes: { min: 100, max: 200 } } }`;

const FILES: Record<string, string> = {
  // the normal case: a team's own folder, importing moshpit, no package.json at all
  'mine.ts': `import { defineScenario } from 'moshpit';\nexport default defineScenario({ ${BODY} });\n`,
  // importing nothing, beside a package.json that says CommonJS
  'commonjs/plain.ts': `const scenario: Record<string, unknown> = { ${BODY} };\nexport default scenario;\n`,
  'commonjs/package.json': '{ "name": "team-tests", "type": "commonjs" }\n',
  // .mts, with every kind of fault mistake (and one ordinary mistake) to be reported together
  'wrong.mts': `import { defineScenario } from 'moshpit';
export default defineScenario({ ${BODY.replace("seed: 1", "seed: 'one' as unknown as number")},
  faults: [
    { at: '1s', target: 'nobody', fault: { type: 'kill' } },
    { at: '99s', target: 'broker', fault: { type: 'throttle', ratio: 0.5 } },
    { at: '2s', for: '20s', target: 'worker-uploads-1', fault: { type: 'pause' } },
  ] });\n`,
};

describe('scenario files from anywhere (moshpit run from a folder outside the project)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'moshpit-scenario-'));
    mkdirSync(join(dir, 'commonjs'));
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, 'mine.json'), JSON.stringify({ name: 'mine', description: 'json', duration: '3s', techs: ['storage-queue'], load: { uploads: { rate: 1 } } }));
    writeFileSync(join(dir, 'taken'), 'a file, not a directory');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads .ts and .mts files importing moshpit or nothing, and reports every mistake at once, faults included', async () => {
    const [mine, plain, wrong] = await Promise.all([
      cli(dir, 'run', join(dir, 'mine.ts'), '--dry-run', '--out', join(dir, 'out')),
      cli(dir, 'run', 'commonjs/plain.ts', '--dry-run'),
      cli(dir, 'run', join(dir, 'wrong.mts'), '--dry-run'),
    ]);
    expect(mine.stderr).toContain('scenario mine: a scenario kept outside the project');
    expect(mine.stderr).toContain('is valid');
    expect(mine.status).toBe(0);
    expect(plain.stderr).toContain('is valid');
    expect(plain.status).toBe(0);

    expect(wrong.stderr).toContain('invalid scenario (4 problems)');
    expect(wrong.stderr).toContain('seed:');
    expect(wrong.stderr).toContain('faults.0.target: unknown target "nobody"; this scenario\'s stack members: broker, emulator-storage, api, worker-uploads-1, worker-uploads-2, subscriber-1, subscriber-2');
    expect(wrong.stderr).toContain('faults.1.at: at 99s is not before the end of the load (duration 3s)');
    expect(wrong.stderr).toContain('faults.2.for: at 2s + for 20s ends after the run can last');
    expect(wrong.stderr).not.toMatch(/internal error|\n\s+at /);
    expect(wrong.status).toBe(2);
  });

  it('refuses --out naming a file and a directory given as the scenario, saying what to pass instead', async () => {
    const run = (scenarioPath: string, out?: string) => prepareRun({ scenarioPath, out, engine: 'builtin', report: false });
    await expect(run(join(dir, 'mine.json'), join(dir, 'taken'))).rejects.toThrow(/--out: .*taken is a file, not a directory; give a directory/);
    await expect(run(join(dir, 'mine.json'), join(dir, 'taken', 'deeper'))).rejects.toThrow('(on the way to');
    await expect(run(dir)).rejects.toThrow(`${dir} is a directory; give a scenario file (.ts, .mts, .js, .mjs, .json), e.g. ${join(dir, 'mine.ts')}`);
    await expect(run(join(dir, 'mine.json'), join(dir, 'out', 'new'))).resolves.toMatchObject({ techs: ['storage-queue'] });
  });
});
