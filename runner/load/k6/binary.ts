/**
 * Finds the k6 binary: the engine option, else $MOSHPIT_K6_BIN, else `k6` on PATH, else
 * `$GOPATH/bin/k6` (where scripts/install-k6.sh puts it). Missing → a UserError saying how to
 * install it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { UserError } from '../../contracts/errors.ts';

export const K6_INSTALL_HELP =
  'Install k6 with scripts/install-k6.sh (needs Go; runs `go install go.k6.io/k6/v2@v2.2.0`), ' +
  'or a package manager (brew install k6; winget install k6; the Grafana apt/rpm repositories: ' +
  'https://grafana.com/docs/k6/latest/set-up/install-k6/), or point MOSHPIT_K6_BIN at a k6 binary. ' +
  'The builtin engine (--engine builtin, the default) needs nothing.';

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findK6Binary(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = explicit ?? env.MOSHPIT_K6_BIN;
  if (given) {
    if (isExecutable(given)) return given;
    throw new UserError(`k6 engine: no executable k6 at ${given} (${explicit ? 'engine option k6.bin' : 'MOSHPIT_K6_BIN'}). ${K6_INSTALL_HELP}`);
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  dirs.push(join(env.GOPATH?.split(delimiter)[0] ?? join(homedir(), 'go'), 'bin'));
  for (const dir of dirs) {
    const candidate = join(dir, 'k6');
    if (isExecutable(candidate)) return candidate;
  }
  throw new UserError(`k6 engine: k6 is not installed (not on PATH, not in $GOPATH/bin). ${K6_INSTALL_HELP}`);
}
