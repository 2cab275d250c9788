/** Recognition channels: "Not you?" withdraws the recognition on screen and asks the face service for fresh agreement. */
import type { RequestHandlers } from '../../shared/ipc/contract';
import type { FaceService } from '../face/face-service';
import type { RecognitionSessions } from '../face/recognition-sessions';
import type { Logger } from '../logging/logger';

export interface FaceHandlerDeps {
  logger: Logger;
  face: Pick<FaceService, 'rejectCurrent'>;
  sessions: RecognitionSessions;
}

export function faceHandlers(deps: FaceHandlerDeps): Pick<RequestHandlers, 'face:rejectMatch'> {
  const log = deps.logger.child('recognition');
  return {
    'face:rejectMatch': (recognitionId) => {
      const session = deps.sessions.withdraw(recognitionId);
      deps.face.rejectCurrent();
      if (session) log.info('recognition rejected by the person ("Not you?")', { staffId: session.staffId, distance: session.match.distance });
      return { ok: true };
    },
  };
}
