/** A kiosk that could not be built still answers its screens: the problem, and nothing else. */
import { describe, expect, it } from 'vitest';
import { createStartupFailureRouter } from '../../../src/main/app/startup-failure';
import { createMemoryLogger } from '../../../src/main/logging/logger';

describe('start-up failure screen', () => {
  it('shows the reason in setup mode, keeps the admin area closed and refuses every other request', async () => {
    const logger = createMemoryLogger();
    const router = createStartupFailureRouter(Object.assign(new Error('EACCES: permission denied, mkdir /var/lib/hotelmate'), { code: 'EACCES' }), logger, { app: 'test' });
    const info = (await router.dispatch('app:info', [])) as { mode: string; problems: { code: string; blocking: boolean; detail: string }[] };
    expect(info.mode).toBe('setup');
    expect(info.problems).toEqual([expect.objectContaining({ code: 'startup_failed', blocking: true, detail: expect.stringMatching(/EACCES/) })]);
    expect(await router.dispatch('admin:status', [])).toMatchObject({ unlocked: false, pinSet: true });
    await expect(router.dispatch('admin:unlock', ['123456'])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(router.dispatch('config:update', [{}])).rejects.toMatchObject({ code: 'forbidden' });
    await expect(router.dispatch('clock:punch', [{ recognitionId: 'x', action: 'clock_in' }])).rejects.toMatchObject({ code: expect.stringMatching(/forbidden|invalid_arguments/) });
    await router.dispatch('log:renderer', [{ level: 'error', message: 'screen up' }]);
    expect(logger.records.map((r) => r.message)).toEqual(['the kiosk could not start: showing the problem screen', 'screen up']);
  });
});
