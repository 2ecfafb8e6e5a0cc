// runner/contracts/atomic-write.ts alone: the content lands, an existing file is replaced whole, and no
// temp file is left behind after a success or after a failing write (missing directory, a
// rename that fails once the temp file exists, a streaming writer that throws), with and
// without fsync, with the default temp name and a fixed one.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../runner/contracts/atomic-write.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'moshpit-atomic-'));
  dirs.push(d);
  return d;
}

describe.each([{ fsync: false }, { fsync: true }])('writeFileAtomic (fsync: $fsync)', (options) => {
  it('writes the content and leaves only the target in the directory', () => {
    const dir = tempDir();
    const file = join(dir, 'results.json');
    writeFileAtomic(file, '{"a":1}\n', options);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}\n');
    expect(readdirSync(dir)).toEqual(['results.json']);
  });

  it('replaces an existing file whole, bytes included', () => {
    const dir = tempDir();
    const file = join(dir, 'begin.json');
    writeFileSync(file, 'old content that is longer than the new one');
    writeFileAtomic(file, Buffer.from([1, 2, 3]), options);
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(readdirSync(dir)).toEqual(['begin.json']);
  });

  it('throws and leaves nothing when the directory is missing', () => {
    const dir = tempDir();
    const file = join(dir, 'missing', 'report.html');
    expect(() => writeFileAtomic(file, '<html>', options)).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes its temp file when the rename fails (the target is a directory)', () => {
    const dir = tempDir();
    const target = join(dir, 'out');
    mkdirSync(join(target, 'child'), { recursive: true });
    expect(() => writeFileAtomic(target, 'data', options)).toThrow();
    expect(readdirSync(dir)).toEqual(['out']);
    expect(readdirSync(target)).toEqual(['child']);
  });
});

describe('writeFileAtomic with a fixed temp file and a streaming writer', () => {
  it('replaces a leftover temp file from a killed write and leaves none', () => {
    const dir = tempDir();
    const file = join(dir, 'x.log');
    writeFileSync(`${file}.compact`, 'half-written snapshot');
    writeFileAtomic(file, 'snapshot\n', { fsync: true, temp: `${file}.compact` });
    expect(readFileSync(file, 'utf8')).toBe('snapshot\n');
    expect(readdirSync(dir)).toEqual(['x.log']);
  });

  it('streams chunks into the file', () => {
    const dir = tempDir();
    const file = join(dir, 'x.log');
    writeFileAtomic(file, (fd) => ['a', 'b', 'c'].forEach((part) => writeFileSync(fd, part)));
    expect({ content: readFileSync(file, 'utf8'), files: readdirSync(dir) }).toEqual({ content: 'abc', files: ['x.log'] });
  });

  it('keeps the old file and removes the temp file when the writer throws', () => {
    const dir = tempDir();
    const file = join(dir, 'x.log');
    writeFileSync(file, 'old');
    expect(() => writeFileAtomic(file, (fd) => {
      writeFileSync(fd, 'part');
      throw new Error('disk full');
    }, { temp: `${file}.compact` })).toThrow('disk full');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['x.log']);
  });
});
