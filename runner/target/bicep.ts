/**
 * `moshpit export azure`: a Bicep template that creates, in a user's resource group, what a
 * scenario's technologies need on real Azure and a run cannot create itself (pure text):
 *  - a storage account (claim-check blobs, storage queues, checkpoints; queues and containers
 *    are created per run under the run prefix);
 *  - a Service Bus namespace (its queues, topic and subscriptions are created per run through
 *    the management API);
 *  - an Event Hubs namespace with the three hubs and one consumer group per subscriber (ARM only);
 *  - the three Event Grid topics (ARM only).
 * Each technology's resources come from its profile (fixtures/<tech>/azure.ts).
 * Plus a target file naming environment variables for the connection strings, and the az
 * commands that fill them. No secret is written (keys stay in Azure until the user exports them).
 */
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';
import { allProfiles } from '../../fixtures/technologies.ts';

const STORAGE_API = '2023-01-01';

function header(scenario: Scenario, techs: readonly Tech[]): string[] {
  return [
    `// moshpit: Azure resources for scenario "${scenario.name}" on ${techs.join(', ')}.`,
    '// Deploy: az deployment group create --resource-group <group> --template-file main.bicep',
    '// Then export the connection strings (see target.json) and run: moshpit run <scenario> --target target.json --allow-remote',
    '',
    "@description('Prefix of every resource name (lowercase letters and digits)')",
    "param namePrefix string = 'moshpit'",
    'param location string = resourceGroup().location',
    ...allProfiles().flatMap((p) => p.target.azure?.params ?? []),
    "var suffix = uniqueString(resourceGroup().id)",
    '',
    `resource storage 'Microsoft.Storage/storageAccounts@${STORAGE_API}' = {`,
    "  name: take('${namePrefix}${suffix}', 24)",
    '  location: location',
    "  sku: { name: 'Standard_LRS' }",
    "  kind: 'StorageV2'",
    "  properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false }",
    '}',
    'output storageAccount string = storage.name',
  ];
}

/** the technologies of the run that need Azure resources beyond storage, in registry order (as the template always listed them) */
const withAzure = (techs: readonly Tech[]) => allProfiles().filter((p) => techs.includes(p.tech) && p.target.azure).map((p) => p.target.azure!);

export function azureTemplate(scenario: Scenario, techs: readonly Tech[]): string {
  const subscribers = Array.from({ length: scenario.backend.subscribers }, (_, i) => `subscriber-${i + 1}`);
  const lines = header(scenario, techs);
  for (const azure of withAzure(techs)) lines.push(...azure.bicep(subscribers));
  return lines.join('\n') + '\n';
}

/** A target file for the deployed resources: connection strings through environment variables. */
export function azureTargetFile(techs: readonly Tech[]): { target: Record<string, unknown>; commands: string[] } {
  const target: Record<string, unknown> = { storage: { connectionStringEnv: 'MOSHPIT_STORAGE_CONNECTION', tier: 'standard' } };
  const commands = ['export MOSHPIT_STORAGE_CONNECTION="$(az storage account show-connection-string --resource-group <group> --name <storageAccount> --query connectionString -o tsv)"'];
  for (const azure of withAzure(techs)) {
    Object.assign(target, azure.targetSection());
    commands.push(...azure.commands());
  }
  return { target, commands };
}
