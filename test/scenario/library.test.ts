import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../runner/scenario/loader.ts';

describe('the scenario library', () => {
  const files = readdirSync('scenarios').filter((f) => f.endsWith('.ts'));
  it.each(files)('%s is a valid scenario that names what it demonstrates', async (file) => {
    const { scenario } = await loadScenario(`scenarios/${file}`);
    expect(scenario.name).toBe(file.replace(/\.ts$/, ''));
    expect(scenario.description.length).toBeGreaterThan(30);
  });
  it('has the chaos scenarios', () => {
    for (const name of ['broker-outage', 'network-partition', 'latency-spike', 'bandwidth-squeeze', 'consumer-crash', 'slow-consumer-backlog', 'throttling', 'connection-resets', 'subscriber-outage', 'poison-message']) {
      expect(files).toContain(`${name}.ts`);
    }
  });
});
