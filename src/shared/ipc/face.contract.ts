/** Face channels: what main sees and decides. Descriptors and images never cross this boundary. */
import { z } from 'zod';
import type { FaceGone, FaceObservation, LivenessChallenge, LivenessFailure, Recognition, UnknownFace } from '../domain/types';
import { event, request } from './define';

export const faceRequests = {
  /** "Not you?": the recognition is withdrawn; its person is not proposed again while that face stays in view. */
  'face:rejectMatch': request<{ ok: true }>()(z.tuple([z.string().min(1).max(100)])),
  /** "Start again": the face in view is decided afresh (after a Cancel, a "Not you?" or "not recognised"). */
  'face:startAgain': request<{ ok: true }>()(z.tuple([])),
};

export const faceEvents = {
  'face:observation': event<FaceObservation>(),
  'face:recognised': event<Recognition>(),
  'face:unknown': event<UnknownFace>(),
  /**
   * The face main was following left the frame or another face took its place: its recognition
   * (if any) can no longer be used, and a screen showing it returns to idle.
   */
  'face:gone': event<FaceGone>(),
  /**
   * The face in view must show it is a live person before it is named: the screen shows the
   * prompt (a head turn), never a name. It ends with `face:recognised` (passed),
   * `face:livenessFailed` (not done in time) or `face:gone` (the face left or was replaced).
   */
  'face:challenge': event<LivenessChallenge>(),
  /** The face in view was not confirmed as a live person: no name, no punch; "Try again", and the manager from the second failure. */
  'face:livenessFailed': event<LivenessFailure>(),
};
