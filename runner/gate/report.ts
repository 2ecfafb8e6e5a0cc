/** The gate's outputs: a plain table for stdout, JUnit XML for CI test tabs, markdown for summaries. */
import type { GateCase, GateOutcome } from './evaluate.ts';

export function scopeOf(c: GateCase): string {
  return c.flow === '*' ? c.tech : `${c.tech}/${c.flow}`;
}

function verdictOf(c: GateCase): string {
  return c.passed ? 'pass' : 'FAIL';
}

function observedOf(c: GateCase): string {
  return c.reason ? `${c.observedText}: ${c.reason}` : c.observedText;
}

export function summaryLine(outcome: GateOutcome): string {
  const total = outcome.cases.length;
  if (total === 0) return 'gate: no thresholds to evaluate (give --thresholds or expect.thresholds in the scenario)';
  if (outcome.passed) return `gate: PASS, all ${total} threshold check${total === 1 ? '' : 's'} passed`;
  return `gate: FAIL, ${outcome.failed} of ${total} threshold checks failed`;
}

/** A fixed-width table: threshold, scope, observed, verdict. */
export function formatTable(outcome: GateOutcome): string {
  const header = ['threshold', 'scope', 'observed', 'verdict'];
  const rows = outcome.cases.map((c) => [c.threshold, scopeOf(c), observedOf(c), verdictOf(c)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  const lines = rows.length ? [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)] : [];
  return [...lines, summaryLine(outcome)].join('\n') + '\n';
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/** One test case per evaluated threshold; a failure carries the observed value. */
export function formatJUnit(outcome: GateOutcome, suiteName: string): string {
  const cases = outcome.cases.map((c) => {
    const name = escapeXml(`${c.threshold} [${scopeOf(c)}]`);
    const classname = escapeXml(`moshpit.gate.${c.tech}.${c.flow === '*' ? 'run' : c.flow}`);
    const open = `    <testcase classname="${classname}" name="${name}" time="0">`;
    if (c.passed) return `${open}\n      <system-out>${escapeXml(`observed ${c.observedText}`)}</system-out>\n    </testcase>`;
    const message = escapeXml(`observed ${observedOf(c)}; threshold ${c.expression} (${c.source})`);
    return `${open}\n      <failure message="${message}" type="threshold">${message}</failure>\n    </testcase>`;
  });
  const counts = `tests="${outcome.cases.length}" failures="${outcome.failed}" errors="0"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="moshpit gate" ${counts}>`,
    `  <testsuite name="${escapeXml(suiteName)}" ${counts} skipped="0" time="0">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function escapeMarkdownCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function formatMarkdown(outcome: GateOutcome, title: string): string {
  const icon = outcome.passed ? '✅' : '❌';
  const lines = [`### ${icon} moshpit gate: ${escapeMarkdownCell(title)}`, '', summaryLine(outcome).replace(/^gate: /, ''), ''];
  if (outcome.cases.length) {
    lines.push('| threshold | scope | observed | verdict |', '|---|---|---|---|');
    for (const c of outcome.cases) {
      const cells = [`\`${c.threshold}\``, scopeOf(c), observedOf(c), c.passed ? '✅ pass' : '❌ **FAIL**'];
      lines.push(`| ${cells.map(escapeMarkdownCell).join(' | ')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
