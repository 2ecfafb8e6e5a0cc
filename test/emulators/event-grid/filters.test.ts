import { describe, expect, it } from 'vitest';
import { parseEventGridConfig, type SubscriptionConfig } from '../../../fixtures/event-grid/emulator/config.ts';
import { matchesFilter } from '../../../fixtures/event-grid/emulator/filters.ts';

function filterOf(filter: unknown): SubscriptionConfig['filter'] {
  const config = parseEventGridConfig({
    topics: [{ name: 't', subscriptions: [{ name: 's', destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://127.0.0.1:1/x' } }, filter }] }],
  });
  return config.topics[0]!.subscriptions[0]!.filter;
}

const event = {
  id: '1', eventType: 'Music.SongAdded', subject: '/songs/Rock/42.mp3', dataVersion: '1', eventTime: '2026-01-01T00:00:00Z',
  data: { durationSeconds: 200, genre: 'Rock', explicit: false, score: '7', nothing: null, tags: ['a'] },
};
const matches = (filter: unknown, e: Record<string, unknown> = event) => matchesFilter(e, 'EventGridSchema', filterOf(filter));
const adv = (operatorType: string, key: string, rest: Record<string, unknown>) => matches({ advancedFilters: [{ operatorType, key, ...rest }] });

describe('subscription filters', () => {
  it('event types, subject prefix/suffix and case sensitivity', () => {
    expect(matches({})).toBe(true);
    expect(matches({ includedEventTypes: ['music.songadded'] })).toBe(true);
    expect(matches({ includedEventTypes: ['Music.Other'] })).toBe(false);
    expect(matches({ subjectBeginsWith: '/SONGS/' })).toBe(true);
    expect(matches({ subjectBeginsWith: '/SONGS/', isSubjectCaseSensitive: true })).toBe(false);
    expect(matches({ subjectEndsWith: '.MP3' })).toBe(true);
    expect(matches({ subjectEndsWith: '.wav' })).toBe(false);
  });

  it('number operators', () => {
    expect(adv('NumberIn', 'data.durationSeconds', { values: [1, 200] })).toBe(true);
    expect(adv('NumberIn', 'data.durationSeconds', { values: [1, 2] })).toBe(false);
    expect(adv('NumberNotIn', 'data.durationSeconds', { values: [1, 2] })).toBe(true);
    expect(adv('NumberNotIn', 'data.durationSeconds', { values: [200] })).toBe(false);
    expect(adv('NumberLessThan', 'data.durationSeconds', { value: 200 })).toBe(false);
    expect(adv('NumberLessThanOrEquals', 'data.durationSeconds', { value: 200 })).toBe(true);
    expect(adv('NumberGreaterThan', 'data.durationSeconds', { value: 30 })).toBe(true);
    expect(adv('NumberGreaterThanOrEquals', 'data.durationSeconds', { value: 201 })).toBe(false);
    expect(adv('NumberInRange', 'data.durationSeconds', { values: [[0, 10], [150, 250]] })).toBe(true);
    expect(adv('NumberInRange', 'data.durationSeconds', { values: [[0, 10]] })).toBe(false);
    expect(adv('NumberNotInRange', 'data.durationSeconds', { values: [[0, 10]] })).toBe(true);
    expect(adv('NumberGreaterThan', 'data.score', { value: 5 })).toBe(true); // numeric strings compare as numbers
    expect(adv('NumberGreaterThan', 'data.missing', { value: 5 })).toBe(false);
  });

  it('string operators are case-insensitive; keys too', () => {
    expect(adv('StringIn', 'Data.Genre', { values: ['rock', 'pop'] })).toBe(true);
    expect(adv('StringIn', 'data.genre', { values: ['pop'] })).toBe(false);
    expect(adv('StringNotIn', 'data.genre', { values: ['pop'] })).toBe(true);
    expect(adv('StringNotIn', 'data.genre', { values: ['ROCK'] })).toBe(false);
    expect(adv('StringBeginsWith', 'subject', { values: ['/songs/rock'] })).toBe(true);
    expect(adv('StringEndsWith', 'subject', { values: ['.wav'] })).toBe(false);
    expect(adv('StringContains', 'data.genre', { values: ['OC'] })).toBe(true);
    expect(adv('StringContains', 'data.genre', { values: ['jazz'] })).toBe(false);
    expect(adv('StringNotContains', 'data.genre', { values: ['jazz'] })).toBe(true);
  });

  it('bool and null operators; arrays and missing keys', () => {
    expect(adv('BoolEquals', 'data.explicit', { value: false })).toBe(true);
    expect(adv('BoolEquals', 'data.explicit', { value: true })).toBe(false);
    expect(adv('IsNullOrUndefined', 'data.nothing', {})).toBe(true);
    expect(adv('IsNullOrUndefined', 'data.absent', {})).toBe(true);
    expect(adv('IsNullOrUndefined', 'data.genre', {})).toBe(false);
    expect(adv('IsNotNull', 'data.genre', {})).toBe(true);
    expect(adv('IsNotNull', 'data.nothing', {})).toBe(false);
    expect(adv('StringIn', 'data.tags', { values: ['a'] })).toBe(false);
  });

  it('advanced filters are ANDed together', () => {
    const both = (min: number) => matches({ advancedFilters: [{ operatorType: 'StringIn', key: 'data.genre', values: ['rock'] }, { operatorType: 'NumberGreaterThan', key: 'data.durationSeconds', value: min }] });
    expect(both(30)).toBe(true);
    expect(both(300)).toBe(false);
  });
});

describe('config validation', () => {
  it('names the topic, subscription and property of every problem at once', () => {
    let message = '';
    try {
      parseEventGridConfig({
        deliveryTimeScale: 0,
        topics: [{ name: 'song-added', inputSchema: 'Custom', subscriptions: [{ name: 'web', destination: { endpointType: 'WebHook', properties: { endpointUrl: 'http://x/y', maxEventsPerBatch: 9000 } }, retryPolicy: { eventTimeToLiveInMinutes: 0 }, filter: { advancedFilters: [{ operatorType: 'NumberGreaterThan', key: 'data.x' }] } }] }],
      });
    } catch (error) { message = (error as Error).message; }
    expect(message).toMatch(/deliveryTimeScale/);
    expect(message).toMatch(/topics\["song-added"\]\.inputSchema: expected one of EventGridSchema, CloudEventSchemaV1_0/);
    expect(message).toMatch(/topics\["song-added"\]\.subscriptions\["web"\]\.destination\.properties\.maxEventsPerBatch/);
    expect(message).toMatch(/subscriptions\["web"\]\.retryPolicy\.eventTimeToLiveInMinutes: between 1 and 1440/);
    expect(message).toMatch(/advancedFilters\[0\]\.value: NumberGreaterThan needs a number/);
  });

  it('rejects duplicate names and accepts the shipped config', async () => {
    expect(() => parseEventGridConfig({ topics: [{ name: 'a' }, { name: 'a' }] })).toThrow(/topics\["a"\]: topic name used twice/);
    const { readFileSync } = await import('node:fs');
    const { DEFAULT_CONFIG_PATH } = await import('../../../fixtures/event-grid/emulator/server.ts');
    const { isEventGridConfig } = await import('../../../fixtures/event-grid/emulator/config.ts');
    const shipped = JSON.parse(readFileSync(DEFAULT_CONFIG_PATH, 'utf8'));
    expect(isEventGridConfig(shipped)).toBe(true);
    expect(isEventGridConfig({ UserConfig: {} })).toBe(false);
    expect(parseEventGridConfig(shipped).topics.map((t) => t.name)).toEqual(['uploads', 'comments', 'song-added']);
  });
});
