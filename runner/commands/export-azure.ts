/**
 * `moshpit export azure <scenario> --out DIR [--tech ...]`: main.bicep (what the scenario's
 * technologies need in a resource group, see runner/target/bicep.ts) and target.json (the
 * target file for it, connection strings through environment variables) with the az commands
 * that deploy and fill them, printed. Writes no secret.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../scenario/loader.ts';
import { selectTechs } from '../run/run-scenario.ts';
import { azureTargetFile, azureTemplate } from '../target/bicep.ts';

export async function exportAzure(args: { scenario: string; out: string; tech?: string }): Promise<string[]> {
  const { scenario } = await loadScenario(args.scenario);
  const techs = selectTechs(args.tech, scenario);
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'main.bicep'), azureTemplate(scenario, techs));
  const { target, commands } = azureTargetFile(techs);
  writeFileSync(join(args.out, 'target.json'), JSON.stringify(target, null, 2) + '\n');
  return [
    `wrote ${join(args.out, 'main.bicep')} and ${join(args.out, 'target.json')} (${techs.join(', ')})`,
    `deploy:  az deployment group create --resource-group <group> --template-file ${join(args.out, 'main.bicep')}`,
    'then fill the environment variables target.json names (the deployment outputs give the resource names):',
    ...commands.map((c) => `  ${c}`),
    `run:     moshpit run ${args.scenario} --target ${join(args.out, 'target.json')} --allow-remote`,
  ];
}
