/** The camera capability's public surface, for the composition root and tests. */
export { createCameraService, NO_CAMERA_MESSAGE } from './camera-service';
export type { CameraConfig, CameraServiceOptions, CameraStats, FfmpegProbe, CameraService, CameraFrame } from './camera-service';
export { toPreview } from './preview';
export { createPreviewThrottle, subscribePreview } from './preview-throttle';
export type { PreviewStreamOptions, PreviewThrottle } from './preview-throttle';
export { listV4l2Nodes } from './devices';
export type { V4l2Node } from './devices';
export { resolveFfmpegPath } from './ffmpeg-path';
export { DropOldestQueue } from './frame-queue';
export { FrameSplitter } from './frame-splitter';
