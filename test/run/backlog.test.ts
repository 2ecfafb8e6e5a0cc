/** Backlog probes' pure parts: which flow an entity carries, and Event Hubs' not-yet-received events per consumer. */
import { describe, expect, it } from 'vitest';
import { unreceived } from '../../fixtures/event-hubs/backlog.ts';
import { BACKLOG_PROBES } from '../../runner/run/backlog/registry.ts';
import { detailOf, flowOfEntity } from '../../runner/run/backlog/types.ts';
import { TECHS } from '../../runner/techs.ts';

describe('backlog probes', () => {
  it('one probe per technology', () => {
    expect(Object.keys(BACKLOG_PROBES).sort()).toEqual([...TECHS].sort());
  });

  it('maps entity names to flows; other entities are not the run flows', () => {
    expect(flowOfEntity('mp-song-added-subscriber-1')).toBe('song-added');
    expect(flowOfEntity('song-added/Subscriptions/subscriber-2')).toBe('song-added');
    expect(flowOfEntity('mp-comments')).toBe('comments');
    expect(flowOfEntity('uploads')).toBe('uploads');
    expect(flowOfEntity('mp-eventhubs-checkpoints')).toBeUndefined();
    expect(detailOf({ active: 2, locked: 0, scheduled: 1 })).toBe('active 2, scheduled 1');
  });

  it('event hubs: events after the highest sequence number a consumer received, per partition', () => {
    const hub = {
      name: 'song-added',
      partitions: [
        { id: '0', beginSequenceNumber: 0, lastSequenceNumber: 9, events: 10 },
        { id: '1', beginSequenceNumber: 0, lastSequenceNumber: 4, events: 5 },
        { id: '2', beginSequenceNumber: 0, lastSequenceNumber: -1, events: 0 },
      ],
    };
    const received = new Map([['subscriber-1', new Map([['0', 9], ['1', 2]])]]);
    expect(unreceived(hub, 'subscriber-1', received)).toEqual({ count: 2, detail: 'partition 1: 2' });
    expect(unreceived(hub, 'subscriber-2', received)).toEqual({ count: 15, detail: 'partition 0: 10, partition 1: 5' });
  });
});
