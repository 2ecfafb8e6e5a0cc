/** calibrate's bounds, apart from the measuring code so that `moshpit calibrate --help` loads no SDK. */
export const MAX_OPS = 1000;
export const WARMUP = 5;
