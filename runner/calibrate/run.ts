/**
 * `moshpit calibrate --target FILE`: before anything connects, the target file is validated
 * (every problem at once), the safety guard applies (no remote endpoint without
 * --allow-remote) and the plan is printed: what is created, how many calls, an estimated cost.
 * Then per technology: create its calibration entities under a per-run prefix, time `ops`
 * calls per operation after a short warm-up, delete the entities (always, failure or not).
 * The profile file is written only when every technology was measured (atomically: a file
 * that exists is a whole one).
 */
import { UserError } from '../contracts/errors.ts';
import { writeFileAtomic } from '../contracts/atomic-write.ts';
import { isProfiledTech, PROFILED_TECHS, type ProfiledTech } from '../../profiles/model.ts';
import { resolveProfile } from '../../profiles/resolve.ts';
import { describeEstimate, estimateCost } from '../pricing/estimate.ts';
import { checkRemote } from '../target/preflight.ts';
import { hostOf } from '../target/connection.ts';
import { brokerSectionOf, brokerTierOf, loadTarget, sectionsOf, type Target } from '../target/resolve.ts';
import { newRunPrefix } from '../target/run.ts';
import { redact } from '../stack/children.ts';
import { techPrefix } from '../target/provision.ts';
import { calibratorOf } from './calibrator.ts';
import { isTech } from '../techs.ts';
import { allProfiles, profileOf } from '../../fixtures/technologies.ts';
import { calibratedProfile, figuresOf, type Measured } from './profile.ts';

import { MAX_OPS, WARMUP } from './limits.ts';

export { MAX_OPS, WARMUP };

export interface CalibrateOptions {
  target: string;
  tech?: string;
  ops: number;
  out: string;
  name: string;
  allowRemote: boolean;
  dryRun: boolean;
  bodyBytes: number;
  log: (line: string) => void;
}

function checkOptions(o: CalibrateOptions): void {
  const problems: string[] = [];
  if (!Number.isInteger(o.ops) || o.ops < 5 || o.ops > MAX_OPS) problems.push(`--ops ${o.ops}: expected a whole number of calls per operation from 5 to ${MAX_OPS} (default 100; more calls give a firmer p99)`);
  if (!Number.isInteger(o.bodyBytes) || o.bodyBytes < 1 || o.bodyBytes > 60 * 1024) problems.push(`--body-bytes ${o.bodyBytes}: expected 1 to 61440 bytes (within every technology's message limit)`);
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(o.name)) problems.push(`--name ${o.name}: expected a lowercase name of letters, digits, dots and dashes`);
  const bad = (o.tech ?? '').split(',').map((s) => s.trim()).filter((n) => n && !isProfiledTech(n));
  if (bad.length) problems.push(`--tech: ${bad.map((b) => `"${b}"`).join(', ')} cannot be calibrated; give some of ${PROFILED_TECHS.join(', ')}${noBroker(bad)}`);
  if (problems.length) throw new UserError(problems.join('\n'));
}

/** " (direct has no broker to time)" for the known technologies without a calibrator */
function noBroker(names: string[]): string {
  const none = names.filter((n) => isTech(n) && !profileOf(n).calibrator);
  return none.length ? ` (${none.join(', ')} ${none.length > 1 ? 'have' : 'has'} no broker to time)` : '';
}

/** e.g. "storage" + "serviceBus": the sections of the first technology that needs two */
const sectionExample = () => (allProfiles().map((p) => p.target.sections).find((s) => s.length > 1) ?? []).map((s) => `"${s}"`).join(' + ');

/** --tech, or every technology the target file has all the sections of. */
function techsOf(flag: string | undefined, path: string): ProfiledTech[] {
  if (flag) {
    const names = flag.split(',').map((s) => s.trim()).filter(Boolean);
    if (!names.length) throw new UserError(`--tech: give at least one of ${PROFILED_TECHS.join(', ')}`);
    return [...new Set(names)] as ProfiledTech[];
  }
  const all = loadTarget(path, []);
  const present = PROFILED_TECHS.filter((t) => sectionsOf(t).every((s) => all.kinds[s] !== undefined));
  if (!present.length) throw new UserError(`--target ${path}: no technology to calibrate: each needs its section and storage (e.g. ${sectionExample()})`);
  return present;
}

function planLines(target: Target, techs: ProfiledTech[], o: CalibrateOptions, runPrefix: string): string[] {
  const calls = o.ops + WARMUP;
  const lines = [`calibrate ${target.file}: ${techs.join(', ')}; ${o.ops} calls per operation (+${WARMUP} warm-up), one at a time, ${o.bodyBytes}-byte payloads; entities ${runPrefix}-*, deleted afterwards`];
  for (const tech of techs) {
    const c = calibratorOf(tech);
    const section = brokerSectionOf(tech);
    lines.push(`${tech} (${target.kinds[section]}, ${brokerTierOf(target, tech)}): times ${c.operations.join(', ')}${c.notMeasured.length ? `; not ${c.notMeasured.join(', ')} (the tier's estimate stays)` : ''}`);
    lines.push(`  uses ${c.creates(target, techPrefix(runPrefix, tech)).join('; ')}`);
    if (target.kinds[section] === 'azure') lines.push(...describeEstimate(estimateCost(tech, brokerTierOf(target, tech), c.load(calls))));
  }
  return lines;
}

export async function calibrate(o: CalibrateOptions): Promise<{ file: string; measured: Measured[] }> {
  checkOptions(o);
  const techs = techsOf(o.tech, o.target);
  const target = loadTarget(o.target, techs);
  checkRemote(target, techs, o.allowRemote);
  const runPrefix = newRunPrefix();
  for (const line of planLines(target, techs, o, runPrefix)) o.log(line);
  if (o.dryRun) {
    o.log(`dry run: nothing was created or sent; the profile would go to ${o.out}`);
    return { file: o.out, measured: [] };
  }
  const measured: Measured[] = [];
  for (const tech of techs) {
    const c = calibratorOf(tech);
    const prefix = techPrefix(runPrefix, tech);
    const total = (o.ops + WARMUP);
    let done = 0;
    let shown = Date.now();
    const ctx = { target, prefix, ops: o.ops, warmup: WARMUP, bodyBytes: o.bodyBytes, tick: () => {
      done++;
      if (Date.now() - shown >= 5000) shown = Date.now(), o.log(`  ${tech}: ${done}/${total} calls`);
    } };
    o.log(`${tech}: measuring ...`);
    try {
      const samples = await c.measure(ctx, (what) => o.log(`  created ${what}`));
      const section = brokerSectionOf(tech);
      const field = target.urls.find((u) => u.field === c.endpointField);
      measured.push({ tech, tier: brokerTierOf(target, tech), host: (field && hostOf(field.url)) ?? 'unknown', kind: target.kinds[section] ?? 'unknown', samples, notMeasured: c.notMeasured });
      for (const f of figuresOf(samples)) o.log(`  ${f.op.padEnd(10)} p50 ${f.p50Ms.toFixed(2)} ms  p99 ${f.p99Ms.toFixed(2)} ms  (n=${f.n})`);
    } catch (error) {
      throw new UserError(`calibrate: ${tech} failed: ${redact((error as Error).message, target.secrets)}; nothing was written (check the target file's ${sectionsOf(tech).join(' and ')} section${sectionsOf(tech).length > 1 ? 's' : ''})`);
    } finally {
      await c.clean(ctx).catch((e: Error) => o.log(`  warning: ${tech}: could not delete ${prefix}-calibrate: ${redact(e.message, target.secrets)}`));
    }
  }
  const { profile, notes } = calibratedProfile(o.name, measured, new Date());
  writeFileAtomic(o.out, `${JSON.stringify(profile, null, 2)}\n`);
  resolveProfile(o.out); // what `run --profile FILE` does: fails loudly here rather than there
  for (const note of notes) o.log(`note: ${note}`);
  return { file: o.out, measured };
}
