/**
 * `moshpit export azure`: a Bicep template that creates, in a user's resource group, what a
 * scenario's technologies need on real Azure and a run cannot create itself (pure text):
 *  - a storage account (claim-check blobs, storage queues, checkpoints; queues and containers
 *    are created per run under the run prefix);
 *  - a Service Bus namespace (its queues, topic and subscriptions are created per run through
 *    the management API);
 *  - an Event Hubs namespace with the three hubs and one consumer group per subscriber (ARM only);
 *  - the three Event Grid topics (ARM only).
 * Plus a target file naming environment variables for the connection strings, and the az
 * commands that fill them. No secret is written (keys stay in Azure until the user exports them).
 */
import type { Scenario } from '../scenario/schema.ts';
import type { Tech } from '../techs.ts';

const API = { storage: '2023-01-01', serviceBus: '2021-11-01', eventHubs: '2021-11-01', eventGrid: '2022-06-15' };
const FLOWS = ['uploads', 'comments', 'song-added'] as const;
const ident = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');

function header(scenario: Scenario, techs: readonly Tech[]): string[] {
  return [
    `// moshpit: Azure resources for scenario "${scenario.name}" on ${techs.join(', ')}.`,
    '// Deploy: az deployment group create --resource-group <group> --template-file main.bicep',
    '// Then export the connection strings (see target.json) and run: moshpit run <scenario> --target target.json --allow-remote',
    '',
    "@description('Prefix of every resource name (lowercase letters and digits)')",
    "param namePrefix string = 'moshpit'",
    'param location string = resourceGroup().location',
    "@allowed(['Standard', 'Premium'])",
    "param serviceBusSku string = 'Standard'",
    "var suffix = uniqueString(resourceGroup().id)",
    '',
    `resource storage 'Microsoft.Storage/storageAccounts@${API.storage}' = {`,
    "  name: take('${namePrefix}${suffix}', 24)",
    '  location: location',
    "  sku: { name: 'Standard_LRS' }",
    "  kind: 'StorageV2'",
    "  properties: { minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false }",
    '}',
    'output storageAccount string = storage.name',
  ];
}

function serviceBus(): string[] {
  return [
    '',
    '// queues, the song-added topic and its subscriptions are created by each run (prefixed) through the management API',
    `resource serviceBus 'Microsoft.ServiceBus/namespaces@${API.serviceBus}' = {`,
    "  name: '${namePrefix}-sb-${suffix}'",
    '  location: location',
    '  sku: { name: serviceBusSku, tier: serviceBusSku }',
    '}',
    'output serviceBusNamespace string = serviceBus.name',
  ];
}

function eventHubs(subscribers: string[]): string[] {
  const lines = [
    '',
    `resource eventHubs 'Microsoft.EventHub/namespaces@${API.eventHubs}' = {`,
    "  name: '${namePrefix}-eh-${suffix}'",
    '  location: location',
    "  sku: { name: 'Standard', tier: 'Standard', capacity: 1 }",
    '}',
    'output eventHubsNamespace string = eventHubs.name',
  ];
  for (const flow of FLOWS) {
    lines.push(`resource hub${ident(`-${flow}`)} 'Microsoft.EventHub/namespaces/eventhubs@${API.eventHubs}' = {`, '  parent: eventHubs', `  name: '${flow}'`, '  properties: { partitionCount: 4, messageRetentionInDays: 1 }', '}');
  }
  for (const subscriber of subscribers) {
    lines.push(`resource group${ident(`-${subscriber}`)} 'Microsoft.EventHub/namespaces/eventhubs/consumergroups@${API.eventHubs}' = {`, '  parent: hubSongAdded', `  name: '${subscriber}'`, '}');
  }
  return lines;
}

function eventGrid(): string[] {
  const lines = ['', '// event subscriptions need a public webhook endpoint: see the README section on targets'];
  for (const flow of FLOWS) {
    lines.push(`resource topic${ident(`-${flow}`)} 'Microsoft.EventGrid/topics@${API.eventGrid}' = {`, `  name: '\${namePrefix}-${flow}-\${suffix}'`, '  location: location', "  properties: { inputSchema: 'EventGridSchema' }", '}');
    lines.push(`output topic${ident(`-${flow}`)}Endpoint string = topic${ident(`-${flow}`)}.properties.endpoint`);
  }
  return lines;
}

export function azureTemplate(scenario: Scenario, techs: readonly Tech[]): string {
  const subscribers = Array.from({ length: scenario.backend.subscribers }, (_, i) => `subscriber-${i + 1}`);
  const lines = header(scenario, techs);
  if (techs.includes('service-bus')) lines.push(...serviceBus());
  if (techs.includes('event-hubs')) lines.push(...eventHubs(subscribers));
  if (techs.includes('event-grid')) lines.push(...eventGrid());
  return lines.join('\n') + '\n';
}

/** A target file for the deployed resources: connection strings through environment variables. */
export function azureTargetFile(techs: readonly Tech[]): { target: Record<string, unknown>; commands: string[] } {
  const target: Record<string, unknown> = { storage: { connectionStringEnv: 'MOSHPIT_STORAGE_CONNECTION', tier: 'standard' } };
  const commands = ['export MOSHPIT_STORAGE_CONNECTION="$(az storage account show-connection-string --resource-group <group> --name <storageAccount> --query connectionString -o tsv)"'];
  if (techs.includes('service-bus')) {
    target.serviceBus = { connectionStringEnv: 'MOSHPIT_SERVICE_BUS_CONNECTION', tier: 'standard' };
    commands.push('export MOSHPIT_SERVICE_BUS_CONNECTION="$(az servicebus namespace authorization-rule keys list --resource-group <group> --namespace-name <serviceBusNamespace> --name RootManageSharedAccessKey --query primaryConnectionString -o tsv)"');
  }
  if (techs.includes('event-hubs')) {
    target.eventHubs = { connectionStringEnv: 'MOSHPIT_EVENT_HUBS_CONNECTION', tier: 'standard' };
    commands.push('export MOSHPIT_EVENT_HUBS_CONNECTION="$(az eventhubs namespace authorization-rule keys list --resource-group <group> --namespace-name <eventHubsNamespace> --name RootManageSharedAccessKey --query primaryConnectionString -o tsv)"');
  }
  if (techs.includes('event-grid')) {
    const topics = Object.fromEntries(FLOWS.map((flow) => [flow, { endpoint: `https://<namePrefix>-${flow}-<suffix>.<region>-1.eventgrid.azure.net/api/events`, keyEnv: `MOSHPIT_EG_${flow.replace('-', '_').toUpperCase()}_KEY` }]));
    target.eventGrid = { topics, publicBaseUrl: 'https://<your tunnel or public host>' };
    for (const flow of FLOWS) commands.push(`export MOSHPIT_EG_${flow.replace('-', '_').toUpperCase()}_KEY="$(az eventgrid topic key list --resource-group <group> --name <namePrefix>-${flow}-<suffix> --query key1 -o tsv)"`);
  }
  return { target, commands };
}
