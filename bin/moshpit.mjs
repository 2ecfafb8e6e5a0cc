#!/usr/bin/env node
// moshpit's entry point: registers tsx (so scenario files and the runner are TypeScript with no
// build step), then the scenario import hooks (so a scenario file loads from any folder, importing
// `moshpit` or nothing), and hands over to the CLI.
import { register as registerHooks } from 'node:module';
import { register } from 'tsx/esm/api';

register();
registerHooks('../runner/scenario/import-hooks.mjs', import.meta.url, {
  data: { publicApiUrl: new URL('../runner/index.ts', import.meta.url).href },
});
await import('../runner/cli.ts');
