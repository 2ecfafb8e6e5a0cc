import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../runner/contracts/errors.ts';
import { HOP_KINDS, RECORD_FLOWS, type HopRecord } from '../../runner/contracts/history.ts';
import {
  HistoryFormatError,
  forEachLine,
  iterateHistoryDir,
  readHistoryDir,
  readHistoryFile,
  recordProblem,
} from '../../runner/history/reader.ts';

const GOLDEN = join(import.meta.dirname, '../../test/data/histories');
const tmp = mkdtempSync(join(tmpdir(), 'moshpit-reader-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const line = (r: Partial<HopRecord>) => JSON.stringify({ h: 'sent', f: 'uploads', k: 's', t: 1, ...r });
function file(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}
async function read(path: string) {
  const records: HopRecord[] = [];
  const stats = await readHistoryFile(path, (r) => records.push(r));
  return { records, stats };
}

describe('history reader', () => {
  it('skips and counts a torn last line (golden pathological history)', async () => {
    const { records, stats } = await read(join(GOLDEN, 'pathological.jsonl'));
    expect(stats.records).toBe(137);
    expect(records).toHaveLength(137);
    expect(stats.tornLines).toBe(1);
    expect(stats.tornAt).toEqual(['pathological.jsonl:138']);
    expect(records.at(-1)).toMatchObject({ h: 'committed', op: 'c-c1' });
  });

  it('reads an empty file as no records', async () => {
    const { records, stats } = await read(join(GOLDEN, 'empty.jsonl'));
    expect(records).toEqual([]);
    expect(stats).toMatchObject({ files: 1, records: 0, tornLines: 0 });
  });

  it('keeps a complete last line that lacks only its newline', async () => {
    const { records, stats } = await read(file('unterminated.jsonl', `${line({ op: 'a' })}\n${line({ op: 'b' })}`));
    expect(records.map((r) => r.op)).toEqual(['a', 'b']);
    expect(stats.tornLines).toBe(0);
  });

  it('rejects a malformed line in the middle, naming file:line', async () => {
    const path = file('bad-middle.jsonl', `${line({ op: 'a' })}\n{"h":"sent","op":\n${line({ op: 'c' })}\n`);
    const error = await read(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistoryFormatError);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toContain(`${path}:2: not valid JSON`);
  });

  it('rejects a record with an unknown hop or a missing field, naming the field', async () => {
    const unknownHop = await read(file('bad-hop.jsonl', `${line({ op: 'a', h: 'sentt' as HopRecord['h'] })}\n`)).catch((e: Error) => e);
    expect((unknownHop as Error).message).toMatch(/bad-hop\.jsonl:1: field "h": expected one of intended, sent/);
    const noTime = await read(file('bad-t.jsonl', `${line({ op: 'a' })}\n{"h":"sent","op":"b","f":"uploads","k":"s"}\n`)).catch((e: Error) => e);
    expect((noTime as Error).message).toMatch(/bad-t\.jsonl:2: field "t"/);
  });

  it('accepts every hop kind and record flow of the one list in runner/contracts/history.ts', () => {
    for (const h of HOP_KINDS) expect(recordProblem({ h, op: 'o', f: 'uploads', k: 'k', t: 1 }), h).toBeUndefined();
    for (const f of RECORD_FLOWS) expect(recordProblem({ h: 'sent', op: 'o', f, k: 'k', t: 1 }), f).toBeUndefined();
    expect(recordProblem({ h: 'sent', op: 'o', f: 'downloads', k: 'k', t: 1 })).toMatch(/field "f": expected one of uploads, comments, song-added, fault, drain/);
  });

  it('rejects a malformed last line that ends with a newline (not a torn write)', async () => {
    const error = await read(file('bad-last.jsonl', `${line({ op: 'a' })}\n{"h":"se\n`)).catch((e: Error) => e);
    expect((error as Error).message).toContain('bad-last.jsonl:2');
  });

  it('recovers the record after a torn fragment when a restarted process appended to the same file', async () => {
    const torn = line({ op: 'lost-half' }).slice(0, 20);
    const { records, stats } = await read(file('restarted.jsonl', `${line({ op: 'a' })}\n${torn}${line({ op: 'b' })}\n${line({ op: 'c' })}\n`));
    expect(records.map((r) => r.op)).toEqual(['a', 'b', 'c']);
    expect(stats.tornLines).toBe(1);
    expect(stats.tornAt).toEqual(['restarted.jsonl:2']);
  });

  it('splits lines correctly across chunk boundaries, multi-byte characters included', async () => {
    const ops = Array.from({ length: 50 }, (_, n) => `op-${n}-é✓😀`);
    const path = file('utf8.jsonl', ops.map((op) => line({ op, err: 'ünïcödé ✓' })).join('\n') + '\n');
    for (const chunkBytes of [7, 16, 100, 1 << 20]) {
      const seen: string[] = [];
      await forEachLine(path, (text) => seen.push((JSON.parse(text) as HopRecord).op), undefined, chunkBytes);
      expect(seen).toEqual(ops);
    }
  });

  it('reads every *.jsonl file of a directory in name order, by callback or async iteration', async () => {
    const dir = join(tmp, 'run-history');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'worker.jsonl'), `${line({ op: 'w1' })}\n${line({ op: 'w2' })}\n{"h":"rec`);
    writeFileSync(join(dir, 'api.jsonl'), `${line({ op: 'a1' })}\n`);
    writeFileSync(join(dir, 'notes.txt'), 'not history');
    const byCallback: string[] = [];
    const stats = await readHistoryDir(dir, (r) => byCallback.push(r.op));
    expect(byCallback).toEqual(['a1', 'w1', 'w2']);
    expect(stats).toMatchObject({ files: 2, records: 3, tornLines: 1 });
    const byIteration: string[] = [];
    for await (const r of iterateHistoryDir(dir)) byIteration.push(r.op);
    expect(byIteration).toEqual(byCallback);
  });

  it('async iteration surfaces a format error', async () => {
    const dir = join(tmp, 'bad-history');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a.jsonl'), `${line({ op: 'a' })}\nnot json\n${line({ op: 'b' })}\n`);
    const seen: string[] = [];
    const consume = async () => {
      for await (const r of iterateHistoryDir(dir)) seen.push(r.op);
    };
    await expect(consume()).rejects.toThrow(/a\.jsonl:2: not valid JSON/);
  });

  it('explains a missing history directory', async () => {
    await expect(readHistoryDir(join(tmp, 'nope'), () => {})).rejects.toThrow(/cannot read the history directory .*nope/);
  });
});
