import { describe, expect, it, vi } from 'vitest';
import type { RequestHandlers } from '../../../src/shared/ipc/contract';
import { createIpcRouter, HANDLER_FAILED_MESSAGE } from '../../../src/main/channels/router';
import { createMemoryLogger } from '../../../src/main/logging/logger';

function handlersWith(partial: Partial<RequestHandlers>): RequestHandlers {
  return new Proxy(partial as RequestHandlers, {
    get: (target, key) => (target as Record<string | symbol, unknown>)[key] ?? (() => { throw new Error(`unexpected ${String(key)}`); }),
  });
}

describe('IPC router', () => {
  it('passes validated arguments to the handler and returns its result', async () => {
    const punch = vi.fn(() => ({ ok: false as const, error: { code: 'expired_recognition' as const, message: 'again' } }));
    const router = createIpcRouter(handlersWith({ 'clock:punch': punch }), createMemoryLogger());
    const result = await router.dispatch('clock:punch', [{ recognitionId: 'r1', action: 'clock_in' }]);
    expect(punch).toHaveBeenCalledWith({ recognitionId: 'r1', action: 'clock_in' });
    expect(result).toEqual({ ok: false, error: { code: 'expired_recognition', message: 'again' } });
  });

  it('refuses an argument of the wrong shape before any handler runs, naming the field', async () => {
    const punch = vi.fn();
    const logger = createMemoryLogger();
    const router = createIpcRouter(handlersWith({ 'clock:punch': punch }), logger);
    await expect(router.dispatch('clock:punch', [{ recognitionId: 'r1', action: 'teleport' }])).rejects.toThrow(/0\.action/);
    expect(punch).not.toHaveBeenCalled();
    expect(logger.records.some((r) => r.message === 'refused invalid arguments')).toBe(true);
  });

  it('refuses arguments that are not plain data (prototype keys, class instances, deep nesting) before the schema or the handler', async () => {
    const update = vi.fn(() => ({ ok: true as const, config: {} as never }));
    const logger = createMemoryLogger();
    const router = createIpcRouter(handlersWith({ 'config:update': update }), logger);
    const refusals = [
      [JSON.parse('{"ui":{"__proto__":{"showBoard":false}}}')],
      [{ ui: { constructor: { prototype: { polluted: true } } } }],
      [{ ui: new Map([['showBoard', false]]) }],
      [{ hotel: { name: new Date(0) } }],
      [{ ui: { sound: 10n } }],
      [JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`)],
    ];
    for (const args of refusals) await expect(router.dispatch('config:update', args)).rejects.toMatchObject({ code: 'invalid_arguments' });
    expect(update).not.toHaveBeenCalled();
    await expect(router.dispatch('config:update', [JSON.parse('{"ui":{"__proto__":{}}}')])).rejects.toThrow('Invalid 0.ui.__proto__: prototype keys are not accepted');
    // A key the page made up is quoted only briefly, on screen and in the log.
    const rejection = await router.dispatch('clock:punch', [{ recognitionId: 'r1', action: 'clock_in', ['k'.repeat(100_000)]: 1 }]).catch((error: unknown) => error as Error);
    expect((rejection as Error).message.length).toBeLessThan(400);
    expect(JSON.stringify(logger.records.at(-1)).length).toBeLessThan(1000);
    await expect(router.dispatch('config:update', [{ ui: { showBoard: false, nothing: null } }])).resolves.toEqual({ ok: true, config: {} });
  });

  it('refuses unknown channels, including prototype names', async () => {
    const router = createIpcRouter(handlersWith({}), createMemoryLogger());
    await expect(router.dispatch('shell:openExternal', [])).rejects.toThrow(/Unknown channel/);
    await expect(router.dispatch('constructor', [])).rejects.toThrow(/Unknown channel/);
    await expect(router.dispatch(42, [])).rejects.toThrow(/Unknown channel/);
  });

  it('reads a state channel without arguments and refuses arguments for it', async () => {
    const board = { departments: [], updatedAt: '2026-11-27T09:00:00.000Z' };
    const read = vi.fn(() => board);
    const router = createIpcRouter(handlersWith({ 'board:onDuty': read }), createMemoryLogger());
    expect(await router.dispatch('board:onDuty', [])).toEqual(board);
    await expect(router.dispatch('board:onDuty', ['everyone'])).rejects.toMatchObject({ code: 'invalid_arguments' });
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('refuses admin channels while the gate says locked', async () => {
    const list = vi.fn(() => []);
    const router = createIpcRouter(handlersWith({ 'ledger:list': list }), createMemoryLogger(), (c) => c !== 'ledger:list');
    await expect(router.dispatch('ledger:list', [{ limit: 10 }])).rejects.toThrow(/locked/);
    expect(list).not.toHaveBeenCalled();
  });

  it('turns a handler crash into a stable rejection naming only its code, and logs the detail', async () => {
    const logger = createMemoryLogger();
    const router = createIpcRouter(handlersWith({ 'board:onDuty': () => { throw new Error('disk on fire at /var/lib/kiosk'); } }), logger);
    const rejection = await router.dispatch('board:onDuty', []).then(
      () => null,
      (error: unknown) => error as Error & { code: string },
    );
    expect(rejection?.code).toBe('handler_failed');
    expect(rejection?.message).toBe(HANDLER_FAILED_MESSAGE);
    expect(rejection?.message).toContain('handler_failed');
    expect(rejection?.message).not.toContain('disk on fire');
    const logged = logger.records.find((r) => r.level === 'error');
    expect(logged?.message).toBe('request handler failed');
    expect(JSON.stringify(logged?.fields)).toContain('disk on fire');
  });
});
