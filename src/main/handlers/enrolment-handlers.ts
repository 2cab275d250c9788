/** Enrolment channels: the staff to enrol, capturing a face with the person's consent, and removing it again. */
import type { RequestHandlers } from '../../shared/ipc/contract';
import { CONSENT_TEXT } from '../face/consent';
import type { FaceService } from '../face/face-service';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';

export interface EnrolmentHandlerDeps {
  logger: Logger;
  face: Pick<FaceService, 'templates' | 'enrolment'>;
  services: Pick<KioskServices, 'clockService'>;
  /** Deletes a person's templates here and revokes the face on HotelMate (or queues that). */
  revokeFace: (staffId: number) => Promise<void>;
}

type EnrolmentChannels = 'staff:list' | 'enrol:start' | 'enrol:cancel' | 'enrol:list' | 'enrol:remove';

export function enrolmentHandlers(deps: EnrolmentHandlerDeps): Pick<RequestHandlers, EnrolmentChannels> {
  const log = deps.logger.child('enrolment');
  return {
    'staff:list': () => {
      const enrolled = new Set(deps.face.templates.list().map((p) => p.staffId));
      return (deps.services.clockService()?.staffList() ?? []).map((s) => ({ ...s, enrolled: enrolled.has(s.id) }));
    },
    'enrol:start': ({ staffId }) => deps.face.enrolment.start(staffId, CONSENT_TEXT, 'admin'),
    'enrol:cancel': () => deps.face.enrolment.cancel(),
    'enrol:list': () => deps.face.templates.list(),
    'enrol:remove': async (staffId) => {
      await deps.revokeFace(staffId);
      log.info('face templates removed', { staffId });
      return { ok: true };
    },
  };
}
