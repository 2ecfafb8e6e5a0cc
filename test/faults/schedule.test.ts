import { describe, expect, it } from 'vitest';
import { planFaults } from '../../runner/faults/schedule.ts';
import { controlBodies, controlBody } from '../../runner/faults/broker.ts';
import { validateScenario } from '../../runner/scenario/loader.ts';

const base = { name: 'x', description: 'd', duration: '10s', load: { uploads: { rate: 1 } } };

describe('fault entries in scenarios', () => {
  it('parses durations and defaults', () => {
    const scenario = validateScenario({ ...base, faults: [{ at: '2s', for: '500ms', target: 'broker', fault: { type: 'disable', entity: 'uploads' } }] }, 'f');
    expect(scenario.faults[0]).toEqual({ at: 2000, for: 500, target: 'broker', fault: { type: 'disable', entity: 'uploads', state: 'Disabled' } });
  });

  it('names the field and the known types for a bad fault', () => {
    expect(() => validateScenario({ ...base, faults: [{ at: 'soon', target: 'broker', fault: { type: 'meteor' } }] }, 'f')).toThrow(
      /faults\.0\.at: expected a duration[\s\S]*faults\.0\.fault\.type: expected fault\.type to be one of kill, stop, pause, restart, consumer-error, consumer-slow, throttle/,
    );
    expect(() => validateScenario({ ...base, faults: [{ at: '1s', target: 'broker', fault: { type: 'throttle', ratio: 2 } }] }, 'f')).toThrow('faults.0.fault.ratio');
  });
});

describe('planFaults', () => {
  it('orders starts and heals in time, heals first at equal times', () => {
    const events = planFaults([
      { at: 5000, for: 1000, target: 'broker', fault: { type: 'kill' } },
      { at: 1000, for: 4000, target: 'api', fault: { type: 'pause' } },
      { at: 8000, target: 'subscriber-1', fault: { type: 'kill' } },
    ]);
    expect(events).toEqual([
      { atMs: 1000, kind: 'start', index: 1 },
      { atMs: 5000, kind: 'heal', index: 1 },
      { atMs: 5000, kind: 'start', index: 0 },
      { atMs: 6000, kind: 'heal', index: 0 },
      { atMs: 8000, kind: 'start', index: 2 },
    ]);
  });
  it('plans nothing for no faults', () => {
    expect(planFaults([])).toEqual([]);
  });
});

describe('broker fault bodies', () => {
  it("speak each emulator's vocabulary", () => {
    expect(controlBody({ type: 'throttle', entity: 'uploads', ratio: 0.5 }, 'emulator-storage')).toEqual({ type: 'throttle', entity: 'mp-uploads', ratio: 0.5 });
    expect(controlBody({ type: 'throttle', entity: 'song-added', ratio: 1 }, 'emulator-event-grid')).toEqual({ type: 'throttle', entity: 'song-added', ratio: 1 });
    expect(controlBody({ type: 'disable', entity: 'comments', state: 'SendDisabled' }, 'emulator-service-bus')).toEqual({ type: 'disable', entity: 'comments', state: 'SendDisabled' });
    expect(controlBodies({ type: 'throttle', ratio: 0.5 }, 'emulator-service-bus').map((b) => b.entity)).toEqual(['uploads', 'comments', 'song-added']);
    expect(controlBodies({ type: 'throttle', ratio: 0.5 }, 'emulator-storage')).toEqual([{ type: 'throttle', ratio: 0.5 }]);
    // Event Grid's control API wants a topic: without one the throttle was refused (400) and the run went unthrottled
    expect(controlBodies({ type: 'throttle', ratio: 0.5 }, 'emulator-event-grid').map((b) => b.entity)).toEqual(['uploads', 'comments', 'song-added']);
  });
});

describe('network fault attributes', () => {
  it("map the scenario's unit-named fields to Toxiproxy's attributes", async () => {
    const { toxicAttributes } = await import('../../runner/faults/network-fault.ts');
    const scenario = validateScenario({ ...base, faults: [
      { at: '1s', target: 'broker', fault: { type: 'latency', latencyMs: 300, jitterMs: 100 } },
      { at: '1s', target: 'broker', fault: { type: 'slicer', averageSizeBytes: 64, delayUs: 10 } },
      { at: '1s', target: 'broker', fault: { type: 'bandwidth', rateKBps: 50, stream: 'upstream', toxicity: 0.5 } },
    ] }, 'f');
    expect(scenario.faults.map((f) => toxicAttributes(f.fault))).toEqual([
      { latency: 300, jitter: 100 },
      { average_size: 64, size_variation: 0, delay: 10 },
      { rate: 50 },
    ]);
    expect(scenario.faults[2]!.fault).toMatchObject({ stream: 'upstream', toxicity: 0.5 });
  });
});
