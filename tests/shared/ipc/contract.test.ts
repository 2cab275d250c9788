/** The contract's three maps never share a channel name (a spread would silently let one win). */
import { describe, expect, it } from 'vitest';
import { eventChannels, isEventChannel, isRequestChannel, isStateChannel, requestChannels, stateChannels } from '../../../src/shared/ipc/contract';
import { adminEvents, adminRequests, adminStates } from '../../../src/shared/ipc/admin.contract';
import { appEvents, appRequests, appStates } from '../../../src/shared/ipc/app.contract';
import { cameraEvents, cameraRequests, cameraStates } from '../../../src/shared/ipc/camera.contract';
import { clockEvents, clockRequests, clockStates } from '../../../src/shared/ipc/clock.contract';
import { faceEvents, faceRequests } from '../../../src/shared/ipc/face.contract';
import { manualPunchRequests } from '../../../src/shared/ipc/manual-punch.contract';

describe('IPC contract', () => {
  it('declares each channel name once across every domain file and kind', () => {
    const maps = [adminEvents, adminRequests, adminStates, appEvents, appRequests, appStates, cameraEvents, cameraRequests, cameraStates, clockEvents, clockRequests, clockStates, faceEvents, faceRequests, manualPunchRequests];
    const names = maps.flatMap((map) => Object.keys(map));
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBe(Object.keys(requestChannels).length + Object.keys(stateChannels).length + Object.keys(eventChannels).length);
  });

  it('a state channel is readable and followable; a request is not an event; unknown names are neither', () => {
    expect(isStateChannel('app:connection') && isEventChannel('app:connection') && !isRequestChannel('app:connection')).toBe(true);
    expect(isRequestChannel('clock:punch') && !isEventChannel('clock:punch')).toBe(true);
    expect([isRequestChannel('toString'), isStateChannel('constructor'), isEventChannel('__proto__')]).toEqual([false, false, false]);
  });
});
