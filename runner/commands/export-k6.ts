/**
 * `moshpit export k6 <scenario> --out DIR --parallelism N --target URL`: everything needed to
 * run the scenario's load with k6-operator against a backend deployed in Azure: the driver
 * script, its plan (the k6 options are derived from it by the script), a ConfigMap holding
 * both, a k6-operator TestRun manifest, and a README saying how to feed the outputs back
 * (`moshpit collect`).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserError } from '../contracts/errors.ts';
import { buildK6Plan, K6_DRIVER_PATH } from '../load/k6/plan.ts';
import { loadScenario } from '../scenario/loader.ts';
import { exportReadme } from '../load/k6/readme.ts';

export interface ExportK6Args {
  scenario: string;
  out: string;
  parallelism: number;
  target: string;
}

export interface ExportK6Meta {
  version: 1;
  scenarioFile: string;
  name: string;
  parallelism: number;
  target: string;
}

function checkArgs(args: ExportK6Args): URL {
  if (!Number.isInteger(args.parallelism) || args.parallelism < 1 || args.parallelism > 1000) {
    throw new UserError(`--parallelism: expected an integer from 1 to 1000 (k6 runner pods), got ${args.parallelism}`);
  }
  let url: URL;
  try {
    url = new URL(args.target);
  } catch {
    throw new UserError(`--target: expected the base URL of the deployed music backend api, such as https://moshpit-api.example.azurewebsites.net (got ${JSON.stringify(args.target)})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--target: expected an http(s) URL (got ${args.target})`);
  if (!args.out) throw new UserError('--out: give the directory to write the k6 files to');
  return url;
}

/** Kubernetes names: lowercase letters, digits and '-', at most 63 characters. */
export function k8sName(text: string): string {
  const name = `moshpit-${text}`.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return name.slice(0, 53).replace(/-$/, '');
}

function yamlBlock(text: string, indent: string): string {
  return text.split('\n').map((line) => (line ? indent + line : '')).join('\n');
}

export async function exportK6(args: ExportK6Args): Promise<{ files: string[] }> {
  const target = checkArgs(args);
  const { file, scenario } = await loadScenario(args.scenario);
  const outDir = resolve(args.out);
  mkdirSync(join(outDir, 'outputs'), { recursive: true });
  // the op id prefix is the same in every pod: load ids are unique by k6's iterationInTest,
  // and each pod's setup() tags its seed songs with a random suffix
  const plan = buildK6Plan(scenario, { baseUrl: target.href.replace(/\/+$/, ''), opIdPrefix: 'k6' });
  const planJson = JSON.stringify(plan, null, 2);
  const name = k8sName(scenario.name);
  const driver = join(outDir, 'driver.js');
  copyFileSync(K6_DRIVER_PATH, driver);
  const driverText = readFileSync(K6_DRIVER_PATH, 'utf8');
  const files: Record<string, string> = {
    'moshpit-plan.json': planJson + '\n',
    'scenario.json': JSON.stringify(scenario, null, 2) + '\n',
    'export.json': JSON.stringify({ version: 1, scenarioFile: relative(outDir, file), name, parallelism: args.parallelism, target: plan.baseUrl } satisfies ExportK6Meta, null, 2) + '\n',
    'configmap.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      `  name: ${name}`,
      'data:',
      '  driver.js: |',
      yamlBlock(driverText, '    '),
      '  moshpit-plan.json: |',
      yamlBlock(planJson, '    '),
      '',
    ].join('\n'),
    'testrun.yaml': [
      'apiVersion: k6.io/v1alpha1',
      'kind: TestRun',
      'metadata:',
      `  name: ${name}`,
      'spec:',
      `  parallelism: ${args.parallelism}`,
      '  script:',
      '    configMap:',
      `      name: ${name}`,
      '      file: driver.js',
      // the driver's history lines go to the pod log (stderr, raw): collected with kubectl logs
      '  arguments: --log-format raw --no-usage-report --no-thresholds',
      '  runner:',
      '    env:',
      '      - name: MOSHPIT_PLAN_FILE',
      '        value: /test/moshpit-plan.json',
      '',
    ].join('\n'),
    'README.md': exportReadme({ name, parallelism: args.parallelism, target: plan.baseUrl, scenarioName: scenario.name }),
  };
  for (const [fileName, text] of Object.entries(files)) writeFileSync(join(outDir, fileName), text);
  return { files: [driver, ...Object.keys(files).map((f) => join(outDir, f))] };
}
