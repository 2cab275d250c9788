/** The one registration: every request and state channel of the contract has exactly one handler. */
import { describe, expect, it } from 'vitest';
import { requestChannels, stateChannels } from '../../../src/shared/ipc/contract';
import { createFakeClock } from '../../support/fake-clock';
import { createHandlerKit } from './handler-kit';

describe('createRequestHandlers', () => {
  it('registers a function for every request and state channel, and nothing else', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const expected = [...Object.keys(requestChannels), ...Object.keys(stateChannels)].sort();
    expect(Object.keys(k.handlers).sort()).toEqual(expected);
    for (const name of expected) expect(typeof (k.handlers as unknown as Record<string, unknown>)[name]).toBe('function');
  });

  it('serves the camera list and status from the camera, and reads every state without arguments', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    expect(await k.router.dispatch('camera:list', [])).toEqual([{ id: '/dev/video0', label: 'USB camera', kind: 'v4l2', formats: ['mjpeg'] }]);
    for (const state of Object.keys(stateChannels)) {
      await expect(k.router.dispatch(state, [])).resolves.toBeDefined();
    }
  });
});
