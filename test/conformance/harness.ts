/**
 * Shared glue of the conformance suites (python.test.ts, java.test.ts): one in-process start of
 * all four emulators (in memory, free ports), the environment-variable contract of README.md,
 * a child process that never blocks this event loop (the emulators live in it), and a small
 * JUnit-XML reader (pytest and Surefire both write it) so each case becomes a readable result.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchEmulators, type LaunchedEmulators } from '../../fixtures/emulators/launch.ts';
import type { EmulatorEndpoints } from '../../fixtures/emulators/endpoints.ts';
import { controlKey } from '../../fixtures/emulators/common/control-key.ts';
import { XMLParser } from 'fast-xml-parser';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const CONFIG_DIR = join(REPO_ROOT, 'test/conformance/config');

export interface ConformanceEmulators {
  endpoints: EmulatorEndpoints;
  env: Record<string, string>;
  close(): Promise<void>;
}

/** `song-added` → `SONG_ADDED`: the topic part of MOSHPIT_EG_<TOPIC>_ENDPOINT. */
export function envTopicName(topic: string): string {
  return topic.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** The README's variables from the emulators' endpoints. */
export function conformanceEnv(endpoints: EmulatorEndpoints): Record<string, string> {
  // the control APIs' key: the one the start printed, else this process's (in-process emulators share it)
  const env: Record<string, string> = { MOSHPIT_EMULATORS_JSON: JSON.stringify(endpoints), MOSHPIT_CONTROL_KEY: endpoints.controlKey ?? controlKey() };
  const { storage, serviceBus, eventHubs, eventGrid } = endpoints;
  if (storage) {
    Object.assign(env, {
      MOSHPIT_STORAGE_CONNECTION_STRING: storage.connectionString,
      MOSHPIT_STORAGE_QUEUE_ENDPOINT: storage.queueEndpoint,
      MOSHPIT_STORAGE_BLOB_ENDPOINT: storage.blobEndpoint,
    });
    if (storage.controlUrl) env.MOSHPIT_STORAGE_CONTROL_URL = storage.controlUrl;
  }
  if (serviceBus) Object.assign(env, { MOSHPIT_SB_CONNECTION_STRING: serviceBus.connectionString, MOSHPIT_SB_CONTROL_URL: serviceBus.controlUrl });
  if (eventHubs) Object.assign(env, { MOSHPIT_EH_CONNECTION_STRING: eventHubs.connectionString, MOSHPIT_EH_CONTROL_URL: eventHubs.controlUrl });
  if (eventGrid) {
    env.MOSHPIT_EG_CONTROL_URL = eventGrid.controlUrl;
    env.MOSHPIT_EG_TOPICS = Object.keys(eventGrid.topics).join(',');
    for (const [name, topic] of Object.entries(eventGrid.topics)) {
      env[`MOSHPIT_EG_${envTopicName(name)}_ENDPOINT`] = topic.endpoint;
      env[`MOSHPIT_EG_${envTopicName(name)}_KEY`] = topic.key;
    }
  }
  return env;
}

/** All four emulators, each with test/conformance/config/<name>.json when it exists. */
export async function startConformanceEmulators(): Promise<ConformanceEmulators> {
  const dataDir = mkdtempSync(join(tmpdir(), 'moshpit-conformance-'));
  const names = ['storage', 'service-bus', 'event-hubs', 'event-grid'] as const;
  const configFiles = names.map((n) => join(CONFIG_DIR, `${n}.json`)).filter((f) => existsSync(f));
  let launched: LaunchedEmulators;
  try {
    launched = await launchEmulators({ only: [...names], configFiles, dataDir, inMemory: true });
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    endpoints: launched.endpoints,
    env: conformanceEnv(launched.endpoints),
    close: async () => {
      await launched.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface ChildResult { code: number | null; output: string; timedOut: boolean; durationMs: number }

/** Runs a command asynchronously (never spawnSync: the emulators share this event loop), killing its group after timeoutMs. */
export function runChild(command: string, args: string[], options: { env: Record<string, string>; timeoutMs: number; cwd?: string }): Promise<ChildResult> {
  const startedMs = Date.now();
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: options.cwd ?? REPO_ROOT, env: { ...process.env, ...options.env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      if (output.length > 2_000_000) output = output.slice(-1_000_000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, options.timeoutMs);
    child.on('error', (error) => keep(Buffer.from(`\n${command}: ${error.message}\n`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output, timedOut, durationMs: Date.now() - startedMs });
    });
  });
}

export interface JUnitCase { file: string; classname: string; name: string; timeS: number; outcome: 'passed' | 'failed' | 'skipped'; detail: string }

const junitParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  parseTagValue: false,
  parseAttributeValue: false,
  // every element that may repeat is a list, whatever one report holds
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
});

type XmlNode = Record<string, unknown> & { '#text'?: string };

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** "message\nbody" of a <failure>/<error> (first one), '' when the case has none. */
function problemOf(testcase: XmlNode): string | undefined {
  const problem = ((testcase.failure ?? testcase.error) as (XmlNode | string)[] | undefined)?.[0];
  if (problem === undefined) return undefined;
  if (typeof problem === 'string') return problem.trim();
  return `${text(problem['@message'])}\n${text(problem['#text'])}`.trim();
}

/** The test cases of a JUnit XML report (pytest --junitxml, Surefire TEST-*.xml). */
export function parseJUnit(xml: string): JUnitCase[] {
  const root = junitParser.parse(xml) as { testsuites?: { testsuite?: XmlNode[] }; testsuite?: XmlNode[] };
  const suites = root.testsuites?.testsuite ?? root.testsuite ?? [];
  return suites.flatMap((suite) => ((suite.testcase as XmlNode[] | undefined) ?? []).map((testcase): JUnitCase => {
    const detail = problemOf(testcase);
    return {
      file: text(testcase['@file']),
      classname: text(testcase['@classname']),
      name: text(testcase['@name']),
      timeS: Number(testcase['@time']) || 0,
      outcome: detail !== undefined ? 'failed' : testcase.skipped ? 'skipped' : 'passed',
      detail: detail ?? '',
    };
  }));
}

/** The last `chars` characters of a long output (where a failing tool says why). */
export function tail(output: string, chars = 6000): string {
  return output.length > chars ? `…${output.slice(-chars)}` : output;
}

export function countLine(label: string, cases: JUnitCase[], durationMs: number): string {
  const n = (o: JUnitCase['outcome']) => cases.filter((c) => c.outcome === o).length;
  return `${label}: ${n('passed')} passed, ${n('failed')} failed, ${n('skipped')} skipped (${cases.length} tests, ${(durationMs / 1000).toFixed(1)} s)`;
}
