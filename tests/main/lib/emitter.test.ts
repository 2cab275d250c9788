import { describe, expect, it } from 'vitest';
import { createEmitter } from '../../../src/main/lib/emitter';
import { createMemoryLogger } from '../../../src/main/logging/logger';

describe('createEmitter', () => {
  it('delivers to every listener, isolates and logs one that throws', () => {
    const logger = createMemoryLogger();
    const emitter = createEmitter<number>('test-values', logger);
    const seen: number[] = [];
    emitter.subscribe(() => {
      throw new Error('listener broke');
    });
    emitter.subscribe((v) => seen.push(v));
    expect(() => emitter.emit(7)).not.toThrow();
    expect(seen).toEqual([7]);
    const record = logger.records.find((r) => r.message === 'listener failed');
    expect(record?.level).toBe('error');
    expect(record?.fields?.emitter).toBe('test-values');
    expect(String(record?.fields?.error)).toContain('listener broke');
  });

  it('stops delivering after unsubscribe, also when a listener unsubscribes during emit', () => {
    const emitter = createEmitter<string>('t', createMemoryLogger());
    const seen: string[] = [];
    const off = emitter.subscribe((v) => {
      seen.push(`a:${v}`);
      off();
    });
    emitter.subscribe((v) => seen.push(`b:${v}`));
    emitter.emit('1');
    emitter.emit('2');
    expect(seen).toEqual(['a:1', 'b:1', 'b:2']);
    expect(emitter.size()).toBe(1);
  });
});
