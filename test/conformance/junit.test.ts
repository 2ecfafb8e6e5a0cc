/** parseJUnit reads pytest's and Surefire's reports: outcomes, times and failure details. */
import { describe, expect, it } from 'vitest';
import { parseJUnit } from './harness.ts';

describe('parseJUnit', () => {
  it('reads passed, failed (message and body) and skipped cases of a pytest report', () => {
    const cases = parseJUnit(`<?xml version="1.0"?><testsuites><testsuite name="pytest">
      <testcase classname="test_a" name="ok" time="0.5"/>
      <testcase classname="test_a" name="bad" time="1"><failure message="assert 1 &lt; 0">Traceback</failure></testcase>
      <testcase classname="test_a" name="sk"><skipped message="no"/></testcase></testsuite></testsuites>`);
    expect(cases.map((c) => [c.name, c.outcome, c.timeS])).toEqual([['ok', 'passed', 0.5], ['bad', 'failed', 1], ['sk', 'skipped', 0]]);
    expect(cases[1]!.detail).toBe('assert 1 < 0\nTraceback');
  });

  it('reads a Surefire report with one suite at the root and an error without attributes', () => {
    const [only] = parseJUnit('<testsuite name="x"><testcase classname="dev.A" name="t" time="2"><error>boom</error></testcase></testsuite>');
    expect(only).toMatchObject({ classname: 'dev.A', name: 't', outcome: 'failed', detail: 'boom' });
  });
});
