/** Camera channels: device list, status and the downscaled preview stream. */
import { z } from 'zod';
import type { CameraDevice, CameraStatus, PreviewFrame } from '../domain/types';
import { event, request } from './define';

export const cameraRequests = {
  'camera:list': request<CameraDevice[]>()(z.tuple([])),
  'camera:getStatus': request<CameraStatus>()(z.tuple([])),
};

export const cameraEvents = {
  'camera:status': event<CameraStatus>(),
  'camera:preview': event<PreviewFrame>(),
};
