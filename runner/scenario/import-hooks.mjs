/**
 * Module hooks that let a scenario file live anywhere, as a k6 script does: in a team's own
 * repository with no package.json, no "type": "module" and no node_modules/moshpit.
 *
 * - The bare specifier `moshpit` (and `moshpit/...` is not offered) resolves to this package's
 *   public API (runner/index.ts), so a scenario imports the same defineScenario the runner uses.
 * - A .ts/.mts/.js/.mjs file outside node_modules is loaded as an ES module even where the
 *   nearest package.json says nothing (or "commonjs"): scenario files are always ESM. Without
 *   this, tsx loads a .ts beside no package.json as CommonJS and Node refuses the `import`
 *   with "Cannot require() ES Module … in a cycle". .cts/.cjs files keep their CommonJS meaning.
 *
 * Plain JavaScript (not TypeScript) because Node loads hooks in its own thread, before any
 * TypeScript loader is guaranteed to apply there. Registered by bin/moshpit.mjs after tsx, so
 * these hooks run first and hand every other specifier to tsx.
 */
const ESM_EXTENSIONS = /\.(?:ts|mts|js|mjs)$/;
let publicApiUrl = '';

export function initialize(data) {
  publicApiUrl = data.publicApiUrl;
}

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'moshpit') return { url: publicApiUrl, format: 'module', shortCircuit: true };
  const resolved = await nextResolve(specifier, context);
  if (!forcesModule(resolved.url, resolved.format)) return resolved;
  return { ...resolved, format: 'module' };
}

function forcesModule(url, format) {
  if (!url.startsWith('file:') || url.includes('/node_modules/')) return false;
  if (!ESM_EXTENSIONS.test(new URL(url).pathname)) return false;
  return format === undefined || format === null || format === 'commonjs' || format === 'commonjs-typescript';
}
