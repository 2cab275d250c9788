/** The camera status the idle and admin screens show: announced, and logged, only when something a person would notice changed. */
import type { CameraStatus } from '../../shared/domain/types';
import { createEmitter, type Subscribe } from '../lib/emitter';
import type { Logger } from '../logging/logger';

export interface CameraStatusHolder {
  current(): CameraStatus;
  /**
   * Takes a new status. Listeners hear it when the state, message, device or restart count changed
   * (also logged: a warning when the camera is unavailable) or the frame rate moved by 0.5 fps or more.
   */
  set(status: CameraStatus): void;
  onChange: Subscribe<CameraStatus>;
}

/** Creates the holder, starting at `stopped`. */
export function createCameraStatus(logger: Logger): CameraStatusHolder {
  let current: CameraStatus = { state: 'stopped', deviceId: null, deviceLabel: null, message: null, fps: 0, restarts: 0 };
  const changes = createEmitter<CameraStatus>('camera.status', logger);
  return {
    current: () => current,
    set(status) {
      const changed =
        status.state !== current.state ||
        status.message !== current.message ||
        status.deviceId !== current.deviceId ||
        status.restarts !== current.restarts;
      const fpsMoved = Math.abs(status.fps - current.fps) >= 0.5;
      if (!changed && !fpsMoved) return;
      current = status;
      if (changed) {
        const fields = { state: status.state, device: status.deviceId, restarts: status.restarts, message: status.message };
        if (status.state === 'unavailable' || status.state === 'no_device') logger.warn('camera status', fields);
        else logger.info('camera status', fields);
      }
      changes.emit(status);
    },
    onChange: changes.subscribe,
  };
}
