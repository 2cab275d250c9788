/**
 * Enrolment channels: the staff to enrol, the consent text in the person's language, capturing a
 * face with that consent recorded word for word, removing a face again, and the faces removed
 * because HotelMate said the person left.
 */
import type { RequestHandlers } from '../../shared/ipc/contract';
import { consentRecord, consentText, readConsentRecord, shownConsent } from '../face/consent';
import type { FaceService } from '../face/face-service';
import type { KioskServices } from '../lifecycle/kiosk-services';
import type { Logger } from '../logging/logger';
import type { LeaverWatch } from '../privacy/leavers';

export interface EnrolmentHandlerDeps {
  logger: Logger;
  face: Pick<FaceService, 'templates' | 'enrolment'>;
  services: Pick<KioskServices, 'clockService'>;
  /** Deletes a person's templates here and revokes the face on HotelMate (or queues that). */
  revokeFace: (staffId: number) => Promise<void>;
  leavers: Pick<LeaverWatch, 'recent'>;
}

type EnrolmentChannels = 'staff:list' | 'enrol:consent' | 'enrol:start' | 'enrol:cancel' | 'enrol:list' | 'enrol:remove' | 'enrol:leavers';

export function enrolmentHandlers(deps: EnrolmentHandlerDeps): Pick<RequestHandlers, EnrolmentChannels> {
  const log = deps.logger.child('enrolment');
  return {
    'staff:list': () => {
      const enrolled = new Set(deps.face.templates.list().map((p) => p.staffId));
      return (deps.services.clockService()?.staffList() ?? []).map((s) => ({ ...s, enrolled: enrolled.has(s.id) }));
    },
    'enrol:consent': (language) => consentText(language),
    'enrol:start': ({ staffId, consentLanguage, consentHash }) => {
      const consent = shownConsent(consentLanguage, consentHash);
      if (!consent) {
        // The screen showed a text that is not the current one (an older build, a changed wording).
        log.warn('enrolment refused: the consent shown is not the current text', { staffId, language: consentLanguage });
        return { state: 'failed', staffId, reason: 'consent_changed' };
      }
      log.info('consent given', { staffId, language: consent.language, version: consent.version });
      return deps.face.enrolment.start(staffId, consentRecord(consent), 'admin');
    },
    'enrol:cancel': () => deps.face.enrolment.cancel(),
    'enrol:list': () =>
      deps.face.templates.list().map((person) => {
        const stored = deps.face.templates.consent(person.staffId);
        const consent = stored ? readConsentRecord(stored.consentText) : null;
        return { ...person, consentLanguage: consent?.language ?? null, consentVersion: consent?.version ?? null };
      }),
    'enrol:remove': async (staffId) => {
      await deps.revokeFace(staffId);
      log.info('face templates removed', { staffId });
      return { ok: true };
    },
    'enrol:leavers': () => deps.leavers.recent(),
  };
}
