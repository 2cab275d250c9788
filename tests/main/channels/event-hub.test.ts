import { describe, expect, it } from 'vitest';
import { createEventHub } from '../../../src/main/channels/event-hub';
import { createMemoryLogger } from '../../../src/main/logging/logger';

describe('event hub', () => {
  it('fans out to every subscriber, remembers the last payload, and survives a failing listener', () => {
    const logger = createMemoryLogger();
    const hub = createEventHub(logger);
    const seen: string[] = [];
    hub.subscribe(() => { throw new Error('bad view'); });
    const off = hub.subscribe((channel) => seen.push(channel));
    hub.emit('app:language', 'pl');
    expect(seen).toEqual(['app:language']);
    expect(hub.last('app:language')).toBe('pl');
    expect(logger.records.some((r) => r.level === 'error' && JSON.stringify(r.fields).includes('bad view'))).toBe(true);
    off();
    hub.emit('app:language', 'es');
    expect(seen).toEqual(['app:language']);
  });

  it('remembers state changes for a late view but never keeps preview frames', () => {
    const hub = createEventHub(createMemoryLogger());
    const board = { departments: [], updatedAt: '2026-11-27T09:00:00.000Z' };
    hub.emit('board:onDuty', board);
    hub.emit('camera:preview', { seq: 1, width: 1, height: 1, rgb: new Uint8Array(3), capturedAt: 1 });
    expect(hub.last('board:onDuty')).toEqual(board);
    expect(hub.last('camera:preview')).toBeUndefined();
  });
});
