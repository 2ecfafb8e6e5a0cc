#!/usr/bin/env node
// moshpit's entry point: registers tsx (so scenario files and the runner are TypeScript with no
// build step) and hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
await import('../runner/cli.ts');
