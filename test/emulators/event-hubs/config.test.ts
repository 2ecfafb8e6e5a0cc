import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EventHubsConfigError, isEventHubsConfig, parseEventHubsConfig } from '../../../fixtures/event-hubs/emulator/config.ts';
import { DEFAULT_CONFIG_FILE } from '../../../fixtures/event-hubs/emulator/server.ts';

const microsoftSample = {
  UserConfig: {
    NamespaceConfig: [{ Type: 'EventHub', Name: 'emulatorNs1', Entities: [{ Name: 'eh1', PartitionCount: '2', ConsumerGroups: [{ Name: 'cg1' }] }] }],
    LoggingConfig: { Type: 'File' },
  },
};

describe('Event Hubs emulator Config.json', () => {
  it('recognises the format by shape', () => {
    expect(isEventHubsConfig(microsoftSample)).toBe(true);
    expect(isEventHubsConfig(JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')))).toBe(true);
    expect(isEventHubsConfig({ UserConfig: { Namespaces: [{ Name: 'sbemulatorns', Queues: [] }] } })).toBe(false);
    expect(isEventHubsConfig({ UserConfig: { NamespaceConfig: [{ Type: 'ServiceBus', Entities: [] }] } })).toBe(false);
    expect(isEventHubsConfig([])).toBe(false);
  });

  it('parses entities, adds $Default and reads retention settings', () => {
    const parsed = parseEventHubsConfig(microsoftSample);
    expect(parsed.namespace).toBe('emulatorNs1');
    expect(parsed.hubs).toEqual([expect.objectContaining({ name: 'eh1', partitionCount: 2, consumerGroups: ['$Default', 'cg1'] })]);
    const bundled = parseEventHubsConfig(JSON.parse(readFileSync(DEFAULT_CONFIG_FILE, 'utf8')));
    expect(bundled.hubs.map((h) => h.name)).toEqual(['uploads', 'comments', 'song-added']);
    expect(bundled.hubs[2].consumerGroups).toEqual(['$Default', 'subscriber-1', 'subscriber-2', 'subscriber-3', 'subscriber-4']);
    const retained = parseEventHubsConfig({ UserConfig: { NamespaceConfig: [{ Type: 'EventHub', Entities: [{ Name: 'r', PartitionCount: 1, RetentionTimeInHours: 0.5, RetentionSizeInBytes: 1000 }] }] } });
    expect(retained.hubs[0]).toMatchObject({ retentionMs: 1_800_000, retentionBytes: 1000 });
  });

  it('reports every problem at once, naming entity and property', () => {
    const bad = { UserConfig: { NamespaceConfig: [{ Type: 'EventHub', Entities: [
      { Name: 'a', PartitionCount: 'many' },
      { Name: 'b', PartitionCount: '2', ConsumerGroups: [{ Name: 'x' }, { Name: 'x' }], RetentionTimeInHours: -1 },
      { PartitionCount: 1 },
    ] }] } };
    let error: unknown;
    try {
      parseEventHubsConfig(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EventHubsConfigError);
    const problems = (error as EventHubsConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems[0]).toMatch(/entity "a"\.PartitionCount/);
    expect(problems.join('\n')).toMatch(/entity "b"\.ConsumerGroups\[1\]\.Name: "x" is listed twice/);
    expect(problems.join('\n')).toMatch(/entity "b"\.RetentionTimeInHours/);
    expect(problems.join('\n')).toMatch(/Entities\[2\]\.Name/);
    expect(() => parseEventHubsConfig({})).toThrow(/UserConfig/);
  });
});
