/**
 * Turns Vite's built index.html (+ assets) into one self-contained HTML template: the JS and CSS
 * files are inlined, a Content-Security-Policy forbids any network access, and the data element
 * becomes a placeholder that `fillTemplate` replaces with the results.
 */
import { readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';

export const DATA_PLACEHOLDER = '@@MOSHPIT_DATA@@';

/** Inline scripts and styles only; nothing may be fetched (the report must open offline). */
export const REPORT_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; font-src data:";

const DATA_ELEMENT = /<script id="moshpit-data" type="application\/json">[\s\S]*?<\/script>/;

export function inlineBuiltHtml(outDir: string): string {
  let html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const asset = (ref: string): string => {
    const file = normalize(join(outDir, ref));
    if (!file.startsWith(normalize(outDir))) throw new Error(`report-ui build references a file outside its output: ${ref}`);
    return readFileSync(file, 'utf8');
  };
  html = html.replace(/<script\b([^>]*?)\ssrc="([^"]+)"([^>]*)><\/script>/g, (_tag, before: string, ref: string, after: string) => {
    const attrs = `${before}${after}`.replace(/\s+crossorigin(="[^"]*")?/g, '');
    return `<script${attrs}>${escapeScript(asset(ref))}</script>`;
  });
  html = html.replace(/<link\b[^>]*\brel="stylesheet"[^>]*>/g, (tag) => {
    const ref = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (!ref) return tag;
    return `<style>${asset(ref).replace(/<\/style/gi, '<\\/style')}</style>`;
  });
  const leftover = /<(?:script|link|img)\b[^>]*\s(?:src|href)="[^"]*"/i.exec(html);
  if (leftover) throw new Error(`report-ui build left an external reference the bundler cannot inline: ${leftover[0]}`);
  if (!DATA_ELEMENT.test(html)) throw new Error('report-ui index.html lacks <script id="moshpit-data" type="application/json">');
  html = html.replace(DATA_ELEMENT, `<script id="moshpit-data" type="application/json">${DATA_PLACEHOLDER}</script>`);
  const csp = `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}" />`;
  return html.replace(/<head>/i, (head) => `${head}\n    ${csp}`);
}

/**
 * JS inside <script>: `</script` would end the element early, so it becomes `<\/script` (the same
 * text in strings, regexes and comments). `<!--` can switch the HTML parser into a mode where the
 * closing tag is not seen; it cannot be escaped safely everywhere, so the build refuses it.
 */
function escapeScript(code: string): string {
  if (code.includes('<!--')) throw new Error('report-ui bundle contains "<!--", which cannot be inlined safely');
  return code.replace(/<\/script/gi, '<\\/script');
}

/** JSON for a `type="application/json"` script element: `<` escaped so no tag can close it. */
export function dataJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export function fillTemplate(template: string, data: unknown): string {
  const parts = template.split(DATA_PLACEHOLDER);
  if (parts.length !== 2) throw new Error(`report template must hold exactly one data placeholder, found ${parts.length - 1}`);
  return `${parts[0]}${dataJson(data)}${parts[1]}`;
}
