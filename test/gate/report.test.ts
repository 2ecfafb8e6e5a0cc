import { describe, expect, it } from 'vitest';
import type { GateCase, GateOutcome } from '../../runner/gate/evaluate.ts';
import { escapeXml, formatJUnit, formatMarkdown, formatTable } from '../../runner/gate/report.ts';

const pass: GateCase = { threshold: 'lost: count == 0', metric: 'lost', expression: 'count == 0', source: 't.json', tech: 'storage-queue', flow: 'uploads', observed: 0, observedText: '0', passed: true };
const fail: GateCase = { threshold: 'e2e_latency: p(99) < 500', metric: 'e2e_latency', expression: 'p(99) < 500', source: 't.json', tech: 'event-grid', flow: 'comments', observed: 812.5, observedText: '812.5 ms', passed: false };
const unknown: GateCase = { ...fail, threshold: 'recovery: max < 30s', metric: 'recovery', expression: 'max < 30s', flow: '*', observed: null, observedText: 'not measured', reason: 'no <recovery> checker & "no" data' };
const outcome: GateOutcome = { cases: [pass, fail, unknown], failed: 2, passed: false };

describe('gate outputs', () => {
  it('JUnit: one test case per check, failures carry the observed value, text escaped', () => {
    const xml = formatJUnit(outcome, 'moshpit gate: short');
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="moshpit gate" tests="3" failures="2" errors="0">')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(2);
    expect(xml).toContain('<testcase classname="moshpit.gate.storage-queue.uploads" name="lost: count == 0 [storage-queue/uploads]"');
    expect(xml).toContain('<failure message="observed 812.5 ms; threshold p(99) &lt; 500 (t.json)" type="threshold">');
    expect(xml).toContain('classname="moshpit.gate.event-grid.run" name="recovery: max &lt; 30s [event-grid]"');
    expect(xml).toContain('observed not measured: no &lt;recovery&gt; checker &amp; &quot;no&quot; data');
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml.trim().endsWith('</testsuites>')).toBe(true);
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
  });

  it('markdown: a verdict heading and one table row per check', () => {
    const md = formatMarkdown(outcome, 'short (storage-queue, event-grid)');
    const lines = md.split('\n');
    expect(lines[0]).toBe('### ❌ moshpit gate: short (storage-queue, event-grid)');
    expect(md).toContain('FAIL, 2 of 3 threshold checks failed');
    expect(lines.filter((l) => l.startsWith('| `'))).toHaveLength(3);
    expect(md).toContain('| `e2e_latency: p(99) < 500` | event-grid/comments | 812.5 ms | ❌ **FAIL** |');
    expect(md).toContain('| `lost: count == 0` | storage-queue/uploads | 0 | ✅ pass |');
    expect(formatMarkdown({ cases: [pass], failed: 0, passed: true }, 'x').split('\n')[0]).toBe('### ✅ moshpit gate: x');
  });

  it('table: aligned columns and a summary line', () => {
    const table = formatTable(outcome).trimEnd().split('\n');
    expect(table[0]).toMatch(/^threshold\s+scope\s+observed\s+verdict$/);
    expect(table).toHaveLength(6);
    expect(table[2]!.indexOf('storage-queue')).toBe(table[0]!.indexOf('scope'));
    expect(table[3]).toMatch(/812\.5 ms\s+FAIL$/);
    expect(table[5]).toBe('gate: FAIL, 2 of 3 threshold checks failed');
    expect(formatTable({ cases: [pass], failed: 0, passed: true })).toContain('gate: PASS, all 1 threshold check passed');
  });
});
