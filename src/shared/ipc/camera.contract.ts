/** Camera channels: device list, status and the downscaled preview stream. */
import { z } from 'zod';
import type { CameraDevice, CameraStatus, PreviewFrame } from '../domain/types';
import { event, request, state } from './define';

export const cameraRequests = {
  'camera:list': request<CameraDevice[]>()(z.tuple([])),
};

export const cameraStates = {
  'camera:status': state<CameraStatus>(),
};

export const cameraEvents = {
  'camera:preview': event<PreviewFrame>(),
};
