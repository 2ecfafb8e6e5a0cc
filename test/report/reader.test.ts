import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../runner/contracts/errors.ts';
import { readResultsFile } from '../../runner/results/reader.ts';
import { SAMPLE_RESULTS_FILE, sampleJson } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'moshpit-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function errorOf(path: string): UserError {
  try {
    readResultsFile(path);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`expected ${path} to be refused`);
}

describe('readResultsFile', () => {
  it('reads the sample fixture', () => {
    const results = readResultsFile(SAMPLE_RESULTS_FILE);
    expect(results.runs.map((r) => r.tech)).toEqual(['storage-queue', 'service-bus']);
    expect(results.scenario.description).toContain('sample fixture');
  });

  it('names a missing file', () => {
    const path = join(dir, 'nope', 'results.json');
    expect(errorOf(path).message).toBe(
      `results file not found: ${path} (check the path; \`moshpit run --out DIR\` writes DIR/results.json)`,
    );
  });

  it('points at the results.json inside a directory', () => {
    expect(errorOf(dir).message).toContain(`${dir} is a directory, not a results file`);
  });

  it('says where the JSON is broken', () => {
    const path = write('broken.json', '{\n  "schema": "moshpit.results",\n  "version": 1,\n}\n');
    const message = errorOf(path).message;
    expect(message).toMatch(new RegExp(`^${path} is not valid JSON at line 4, column 1: `));
  });

  it('refuses an empty file', () => {
    expect(errorOf(write('empty.json', '  \n')).message).toContain('is empty: expected a moshpit results.json');
  });

  it('refuses JSON that is not a moshpit results file', () => {
    const path = write('package.json', JSON.stringify({ name: 'x', schema: 'other' }));
    expect(errorOf(path).message).toBe(
      `${path} is not a moshpit results file: expected an object with "schema": "moshpit.results" (found "schema": "other"). ` +
        'Give the results.json written by `moshpit run`.',
    );
    expect(errorOf(write('array.json', '[1,2]')).message).toContain('is not a moshpit results file');
  });

  it('names the version found and the versions supported', () => {
    const path = write('v2.json', JSON.stringify({ ...sampleJson(), version: 2 }));
    expect(errorOf(path).message).toContain(`${path} has results version 2, which this moshpit does not read (supported versions: 1)`);
  });

  it('lists every schema violation with its JSON path', () => {
    const data = sampleJson();
    delete data.scenario.seed;
    data.runs[0].flows.uploads.valid = 'yes';
    data.runs[1].load.attempted = 'many';
    data.runs[0].flows['song-added'].checks['fan-out'].counts.missing = null;
    const path = write('invalid.json', JSON.stringify(data));
    const error = errorOf(path);
    expect(error.message).toBe(
      [
        `${path} is not a valid moshpit results file (version 1); 4 problems:`,
        '  - scenario.seed: missing (expected number)',
        '  - runs[0].flows.uploads.valid: expected boolean or "unknown", found "yes"',
        '  - runs[0].flows["song-added"].checks["fan-out"].counts.missing: expected number, found null',
        '  - runs[1].load.attempted: expected number, found "many"',
      ].join('\n'),
    );
    expect(error.message).not.toMatch(/\n\s+at /); // no stack frames in the message
  });
});
