/**
 * moshpit's generic k6 driver: runs a scenario's `load` section against the music backend's
 * HTTP API with k6 open-model executors (one k6 scenario per flow: constant-arrival-rate or
 * ramping-arrival-rate).
 *
 * Input: the load plan (built by `runner/load/k6/plan.ts`) as JSON, from the env var
 * MOSHPIT_PLAN, or from the file named by MOSHPIT_PLAN_FILE (default ./moshpit-plan.json).
 * MOSHPIT_TARGET, when set, overrides the plan's base URL.
 *
 * Output: one JSON object per line on the console (run k6 with `--console-output FILE
 * --log-format raw`): `sent` (with the iteration index `i` and the scenario start `s0`, from
 * which the runner computes the intended start with the same planning code as the builtin
 * engine), then `acked` or `failed`. Iterations k6 drops never log; the runner records them as
 * `dropped`. Operation ids come from `exec.scenario.iterationInTest`, unique across VUs and
 * across execution segments (k6 processes / k6-operator pods).
 */
import http from 'k6/http';
import exec from 'k6/execution';
import crypto from 'k6/crypto';
import encoding from 'k6/encoding';
import { SharedArray } from 'k6/data';
import { sleep } from 'k6';

const plan = JSON.parse(__ENV.MOSHPIT_PLAN || open(__ENV.MOSHPIT_PLAN_FILE || './moshpit-plan.json'));
const baseUrl = (__ENV.MOSHPIT_TARGET || plan.baseUrl).replace(/\/+$/, '');
const timeout = `${plan.requestTimeoutMs}ms`;

function executorFor(flow) {
  const spec = plan[flow];
  // k6 rates are integers per timeUnit: fractional rates are scaled to a 1000 s time unit
  const rates = spec.stages ? [spec.startRate, ...spec.stages.map((s) => s.target)] : [spec.rate];
  const scale = rates.every((r) => Number.isInteger(r)) ? 1 : 1000;
  const common = { exec: flow, timeUnit: `${scale}s`, preAllocatedVUs: plan.vus.pre, maxVUs: plan.vus.max, gracefulStop: timeout };
  if (spec.stages) {
    return {
      ...common,
      executor: 'ramping-arrival-rate',
      startRate: Math.round(spec.startRate * scale),
      stages: spec.stages.map((s) => ({ duration: `${s.durationMs}ms`, target: Math.round(s.target * scale) })),
    };
  }
  return { ...common, executor: 'constant-arrival-rate', rate: Math.round(spec.rate * scale), duration: `${plan.durationMs}ms` };
}

const scenarios = {};
for (const flow of ['uploads', 'comments']) if (plan[flow]) scenarios[flow] = executorFor(flow);

export const options = {
  scenarios,
  setupTimeout: `${plan.drainLimitMs + 60000}ms`,
  discardResponseBodies: false,
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'],
};

// ---- seeded payloads: the same algorithm as runner/contracts/random.ts and runner/load/payload.ts
// (k6 runs this file in its own JavaScript runtime and cannot import the TypeScript, so this
// copy is kept equal by hand) ----
function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function mixSeed(...parts) {
  let h = 0x9e3779b9;
  for (const part of parts) {
    let k = Math.imul(part >>> 0, 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k ^ Math.floor(part / 4294967296);
    h = Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const uniformInt = (random, min, max) => min + Math.floor(random() * (max - min + 1));
const SALT = { pool: 1, upload: 2, setupSong: 3, comment: 4 };

// The seeded random pool is built once per k6 process (SharedArray runs its callback once;
// plain JS loops are slow in k6's interpreter) and decoded natively in each VU.
const sharedPool = new SharedArray('moshpit-pool', () => {
  const size = plan.sizeBytes.max + 65536;
  const words = new Uint32Array(Math.ceil(size / 4));
  const random = mulberry32(mixSeed(plan.seed, SALT.pool));
  for (let i = 0; i < words.length; i++) words[i] = (random() * 4294967296) >>> 0;
  return [encoding.b64encode(words.buffer.slice(0, size), 'std')];
});
let pool; // per VU, decoded on first use
function song(kind, index) {
  const { min, max } = plan.sizeBytes;
  if (!pool) pool = new Uint8Array(encoding.b64decode(sharedPool[0], 'std'));
  const random = mulberry32(mixSeed(plan.seed, SALT[kind], index));
  const size = uniformInt(random, min, max);
  const start = Math.floor(random() * (pool.length - size));
  const bytes = pool.slice(start, start + size);
  if (size >= 16) {
    const view = new DataView(bytes.buffer);
    view.setUint32(0, SALT[kind], true);
    view.setUint32(4, index >>> 0, true);
    view.setUint32(8, Math.floor(index / 4294967296), true);
    view.setUint32(12, plan.seed >>> 0, true);
  }
  return { body: bytes.buffer, b: size, sum: crypto.sha256(bytes.buffer, 'hex'), title: `${kind === 'upload' ? 'Track' : 'Seed track'} ${index}` };
}

const WORDS = ['love', 'this', 'track', 'drop', 'bass', 'loud', 'again', 'chorus', 'wow', 'encore', 'mosh', 'pit',
  'riff', 'tempo', 'vibe', 'crowd', 'guitar', 'drums', 'synth', 'break', 'remix', 'live', 'banger', 'yes'];
function commentContent(index) {
  const random = mulberry32(mixSeed(plan.seed, SALT.comment, index));
  const count = uniformInt(random, 3, 12);
  const words = [];
  for (let i = 0; i < count; i++) words.push(WORDS[Math.floor(random() * WORDS.length)]);
  return { text: words.join(' '), author: `fan-${uniformInt(random, 1, 500)}` };
}

// ---- history lines ----
const emit = (record) => console.log(JSON.stringify(record));
function send(id, extra, request) {
  emit({ h: 'sent', ...id, t: Date.now(), ...extra });
  const res = request();
  const t = Date.now();
  if (res.status >= 200 && res.status < 300) emit({ h: 'acked', ...id, t, st: res.status });
  else emit({ h: 'failed', ...id, t, st: res.status, err: (res.error || `HTTP ${res.status}`).slice(0, 200) });
  return res;
}
function postSong(op, payload) {
  const headers = { 'content-type': 'application/octet-stream', 'x-op-id': op, 'x-song-title': payload.title };
  return http.post(`${baseUrl}/songs`, payload.body, { headers, timeout, tags: { name: 'POST /songs' }, responseType: 'text' });
}

// ---- setup: songs for the comments flow (skipped when the runner seeded them) ----
export function setup() {
  if (!plan.comments) return { songIds: [] };
  if (plan.songIds) return { songIds: plan.songIds };
  const tag = crypto.hexEncode(crypto.randomBytes(4)); // setup runs once per k6 process
  const songIds = [];
  for (let n = 0; n < plan.comments.songs; n++) {
    const op = `${plan.opIdPrefix}-${tag}-s${n}`;
    const payload = song('setupSong', n);
    const id = { op, f: 'uploads', k: op };
    const res = send(id, { it: Date.now(), b: payload.b, sum: payload.sum }, () => postSong(op, payload));
    if (res.status < 200 || res.status >= 300) exec.test.abort(`setup: could not upload song ${n} (HTTP ${res.status} ${res.error || ''})`);
    songIds.push(op);
  }
  const deadline = Date.now() + plan.drainLimitMs;
  let pending = songIds;
  while (pending.length > 0) {
    pending = pending.filter((id) => http.get(`${baseUrl}/songs/${encodeURIComponent(id)}`, { timeout, tags: { name: 'GET /songs/:id' } }).status !== 200);
    if (pending.length === 0) break;
    if (Date.now() > deadline) exec.test.abort(`setup: ${pending.length} song(s) for the comments flow were not stored within ${plan.drainLimitMs} ms`);
    sleep(0.2);
  }
  return { songIds };
}

// ---- the flows ----
export function uploads() {
  const i = exec.scenario.iterationInTest;
  if (i >= plan.uploads.limit) return; // past the schedule's end or maxSongs
  const op = `${plan.opIdPrefix}-u${i}`;
  const payload = song('upload', i);
  send({ op, f: 'uploads', k: op }, { i, s0: exec.scenario.startTime, b: payload.b, sum: payload.sum }, () => postSong(op, payload));
}

export function comments(data) {
  const i = exec.scenario.iterationInTest;
  if (i >= plan.comments.limit) return; // past the schedule's end or songs × perSong
  const songs = data.songIds;
  const k = songs[i % songs.length];
  const seq = Math.floor(i / songs.length) + 1;
  const op = `${plan.opIdPrefix}-c${i}`;
  const body = JSON.stringify({ opId: op, seq, ...commentContent(i) });
  send({ op, f: 'comments', k }, { i, s0: exec.scenario.startTime, seq }, () =>
    http.post(`${baseUrl}/songs/${encodeURIComponent(k)}/comments`, body, {
      headers: { 'content-type': 'application/json' },
      timeout,
      tags: { name: 'POST /songs/:id/comments' },
    }),
  );
}

export function handleSummary(data) {
  const out = {};
  if (__ENV.MOSHPIT_SUMMARY) out[__ENV.MOSHPIT_SUMMARY] = JSON.stringify(data);
  return out;
}
