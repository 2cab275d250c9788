/** Face channels: what main sees and decides. Descriptors and images never cross this boundary. */
import { z } from 'zod';
import type { FaceObservation, Recognition, UnknownFace } from '../domain/types';
import { event, request } from './define';

export const faceRequests = {
  /** "Not you?": the recognition is withdrawn and counted as a rejected match. */
  'face:rejectMatch': request<{ ok: true }>()(z.tuple([z.string().min(1).max(100)])),
};

export const faceEvents = {
  'face:observation': event<FaceObservation>(),
  'face:recognised': event<Recognition>(),
  'face:unknown': event<UnknownFace>(),
  /** The face left the frame: the screen may return to idle. */
  'face:gone': event<{ at: string }>(),
};
