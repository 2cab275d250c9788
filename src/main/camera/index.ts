/** The camera capability's public surface, for the composition root (kiosk-core.ts) and tests. */
export { createCameraService, NO_CAMERA_MESSAGE } from './camera-service';
export type { CameraConfig, CameraServiceOptions, CameraStats, FfmpegProbe, CameraService } from './camera-service';
export { toPreview, subscribePreview } from './preview';
export type { PreviewStreamOptions } from './preview';
export { listV4l2Nodes } from './devices';
export type { V4l2Node } from './devices';
export { resolveFfmpegPath } from './ffmpeg-path';
export { DropOldestQueue } from './frame-queue';
export { FrameSplitter } from './frame-splitter';
