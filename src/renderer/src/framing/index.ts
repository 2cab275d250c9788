/** The renderer's framing guide: MediaPipe face box and oval over the preview, with main's boxes as fallback. */
export { FramingGuide, useFramingBox, normaliseBoxes, smoothBox, isInOval, probeWebGL, OVAL, resetFramingVerdict } from './FramingGuide';
export type { FramingGuideProps, FramingSource } from './FramingGuide';
export type { FramingDetector, DetectorLoader, PixelBox } from './framing-types';
