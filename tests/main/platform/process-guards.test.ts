/** Errors main would otherwise drop are logged and reported, and the process carries on. */
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../src/main/logging/logger';
import { installProcessGuards } from '../../../src/main/platform/process-guards';

describe('process guards', () => {
  it('logs an unhandled rejection and an uncaught exception and reports each; removal stops it', () => {
    const target = new EventEmitter();
    const logger = createMemoryLogger();
    const reported: string[] = [];
    const off = installProcessGuards({ logger, target, onError: (kind, error) => reported.push(`${kind}: ${(error as Error).message}`) });
    target.emit('unhandledRejection', new Error('SQLITE_CORRUPT: database disk image is malformed'));
    target.emit('uncaughtException', new Error('boom'));
    expect(reported).toEqual(['unhandled-rejection: SQLITE_CORRUPT: database disk image is malformed', 'uncaught-exception: boom']);
    expect(logger.records.filter((r) => r.level === 'error').map((r) => r.message)).toEqual([
      'unhandled promise rejection in main',
      'uncaught exception in main (the kiosk carries on)',
    ]);
    off();
    expect(target.listenerCount('unhandledRejection') + target.listenerCount('uncaughtException')).toBe(0);
  });

  it('a reporter that throws is logged, not rethrown', () => {
    const target = new EventEmitter();
    const logger = createMemoryLogger();
    installProcessGuards({ logger, target, log: false, onError: () => { throw new Error('screen gone'); } });
    expect(() => target.emit('unhandledRejection', 'x')).not.toThrow();
    expect(logger.records.map((r) => r.message)).toEqual(['reporting a main-process error failed']);
  });
});
