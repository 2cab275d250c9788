/** Camera channels: the devices to choose from in setup and the camera's live status. */
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { CameraService } from '../camera/camera-service';

export interface CameraHandlerDeps {
  camera: Pick<CameraService, 'listDevices' | 'status'>;
}

export function cameraHandlers(deps: CameraHandlerDeps): Pick<RequestHandlers, 'camera:list' | 'camera:status'> {
  return {
    'camera:list': () => deps.camera.listDevices(),
    'camera:status': () => deps.camera.status(),
  };
}
