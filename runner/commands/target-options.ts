/** The flags `run`, `compare` and `calibrate` share for a target file (each says what --target does for it). */
import type { Options } from 'yargs';

export const ALLOW_REMOTE_OPTION: Options = {
  type: 'boolean',
  default: false,
  describe: '--target: allow endpoints that are not loopback (real Azure); what will be created, the operations sent and an estimated cost are printed first',
};

export const KEEP_OPTION: Options = { type: 'boolean', default: false, describe: '--target: leave the entities the run created in place' };
