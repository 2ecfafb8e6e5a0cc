/**
 * The flags several commands share, said once: the target-file flags of `run`, `compare` and
 * `calibrate` (each says what --target itself does for it), and the load engine and report flags
 * of `run` and `compare`.
 */
import type { Options } from 'yargs';
import { DEFAULT_LOAD_ENGINE, LOAD_ENGINES } from '../load/registry.ts';

export const ALLOW_REMOTE_OPTION: Options = {
  type: 'boolean',
  default: false,
  describe: '--target: allow endpoints that are not loopback (real Azure); what will be created, the operations sent and an estimated cost are printed first',
};

export const KEEP_OPTION: Options = { type: 'boolean', default: false, describe: '--target: leave the entities the run created in place' };

export const ENGINE_OPTION: Options = { type: 'string', default: DEFAULT_LOAD_ENGINE, describe: `load engine: ${LOAD_ENGINES.join(', ')}` };

export const REPORT_OPTION: Options = { type: 'boolean', default: true, describe: 'render report.html (--no-report to skip)' };
