/** Recognition channels: "Not you?" withdraws the recognition on screen for as long as that face stays in view; "Start again" has the face in view decided afresh. */
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { FaceService } from '../face/face-service';
import type { RecognitionSessions } from '../face/recognition-sessions';
import type { Logger } from '../logging/logger';

export interface FaceHandlerDeps {
  logger: Logger;
  face: Pick<FaceService, 'rejectTrack' | 'startAgain'>;
  sessions: RecognitionSessions;
}

export function faceHandlers(deps: FaceHandlerDeps): Pick<RequestHandlers, 'face:rejectMatch' | 'face:startAgain'> {
  const log = deps.logger.child('recognition');
  return {
    'face:rejectMatch': (recognitionId) => {
      const session = deps.sessions.withdraw(recognitionId);
      if (session) {
        // The rejection belongs to the face it was made on: a new face, or this person coming back, is decided afresh.
        const onFaceInView = deps.face.rejectTrack(session.trackId);
        log.info('recognition rejected by the person ("Not you?")', { staffId: session.staffId, distance: session.match.distance, onFaceInView });
      }
      return { ok: true };
    },
    'face:startAgain': () => {
      deps.face.startAgain();
      return { ok: true };
    },
  };
}
