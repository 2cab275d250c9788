import { describe, expect, it, vi } from 'vitest';
import type { RequestHandlers } from '../../../src/shared/ipc/contract';
import { createEventHub, createIpcRouter } from '../../../src/main/core/router';
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

  it('refuses unknown channels, including prototype names', async () => {
    const router = createIpcRouter(handlersWith({}), createMemoryLogger());
    await expect(router.dispatch('shell:openExternal', [])).rejects.toThrow(/Unknown channel/);
    await expect(router.dispatch('constructor', [])).rejects.toThrow(/Unknown channel/);
    await expect(router.dispatch(42, [])).rejects.toThrow(/Unknown channel/);
  });

  it('refuses admin channels while the gate says locked', async () => {
    const list = vi.fn(() => []);
    const router = createIpcRouter(handlersWith({ 'ledger:list': list }), createMemoryLogger(), (c) => c !== 'ledger:list');
    await expect(router.dispatch('ledger:list', [{ limit: 10 }])).rejects.toThrow(/locked/);
    expect(list).not.toHaveBeenCalled();
  });

  it('turns a handler crash into a rejection and logs it', async () => {
    const logger = createMemoryLogger();
    const router = createIpcRouter(handlersWith({ 'board:get': () => { throw new Error('disk on fire'); } }), logger);
    await expect(router.dispatch('board:get', [])).rejects.toThrow('disk on fire');
    expect(logger.records.find((r) => r.level === 'error')?.message).toBe('request handler failed');
  });
});

describe('event hub', () => {
  it('fans out to every subscriber, remembers the last payload, and survives a failing listener', () => {
    const hub = createEventHub(createMemoryLogger());
    const seen: string[] = [];
    hub.subscribe(() => { throw new Error('bad view'); });
    const off = hub.subscribe((channel) => seen.push(channel));
    hub.emit('app:language', 'pl');
    expect(seen).toEqual(['app:language']);
    expect(hub.last('app:language')).toBe('pl');
    off();
    hub.emit('app:language', 'es');
    expect(seen).toEqual(['app:language']);
  });
});
