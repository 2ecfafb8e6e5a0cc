/**
 * The metric catalogue as the README's markdown table (checker, count, gate metric, meaning).
 * test/checkers/catalogue.test.ts fails when the README's copy differs and prints this one.
 */
import { CATALOGUE, CHECKER_NAMES, metricName, snakeCase, type CountInfo } from './catalogue.ts';

export const TABLE_START = '<!-- metric-catalogue: generated from runner/checkers/catalogue.ts -->';
export const TABLE_END = '<!-- /metric-catalogue -->';

function gateCell(checker: string, count: string, info: CountInfo, metric: string): string {
  if (checker === 'latency') return `\`${snakeCase(count)}_latency\``;
  if (info.per === undefined) return '';
  const aliases = (info.metricAliases ?? []).map((a) => `\`${a}\``);
  return `\`${metric}\` (per ${info.per})${aliases.length > 0 ? `, old name ${aliases.join(', ')}` : ''}`;
}

export function catalogueTable(): string {
  const rows = ['| checker | count | gate metric | meaning |', '| --- | --- | --- | --- |'];
  for (const checker of CHECKER_NAMES) {
    for (const [count, info] of Object.entries(CATALOGUE[checker].counts as Record<string, CountInfo>)) {
      const aliases = info.aliases?.length ? ` (older spelling: ${info.aliases.map((a) => `\`${a}\``).join(', ')})` : '';
      rows.push(`| ${checker} | \`${count}\` | ${gateCell(checker, count, info, metricName(checker, count))} | ${info.meaning}${aliases} |`);
    }
  }
  return [TABLE_START, ...rows, TABLE_END].join('\n');
}
