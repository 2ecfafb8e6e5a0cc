/**
 * report-ui build. `runner/report/bundle.ts` calls `reportUiConfig()` through Vite's JS API and
 * inlines the output into one HTML file; `npm run build:report-ui` and `vite` (dev server, with
 * the sample results injected) use the default export.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

export const REPORT_UI_ROOT = fileURLToPath(new URL('.', import.meta.url));
const SAMPLE_RESULTS = fileURLToPath(new URL('../test/data/sample-results.json', import.meta.url));

/** Dev server only: fill the data element with the sample fixture so the page has something to show. */
function sampleDataInDev(): Plugin {
  return {
    name: 'moshpit-sample-data',
    apply: 'serve',
    transformIndexHtml(html) {
      const json = `[${readFileSync(SAMPLE_RESULTS, 'utf8')}]`.replace(/</g, '\\u003c');
      return html.replace(
        /(<script id="moshpit-data" type="application\/json">)[\s\S]*?(<\/script>)/,
        (_match, open: string, close: string) => `${open}${json}${close}`,
      );
    },
  };
}

export function reportUiConfig(outDir = 'dist'): UserConfig {
  return {
    root: REPORT_UI_ROOT,
    base: './',
    plugins: [react(), sampleDataInDev()],
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      // everything ends up inlined into one HTML file: one JS chunk, one CSS file, no preloads
      assetsInlineLimit: Number.MAX_SAFE_INTEGER,
      cssCodeSplit: false,
      modulePreload: false,
      chunkSizeWarningLimit: 4096,
      reportCompressedSize: false,
      rollupOptions: { output: { inlineDynamicImports: true } },
    },
  };
}

export default defineConfig(reportUiConfig());
