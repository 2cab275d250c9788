/**
 * Registers a face enrolled at this kiosk with HotelMate (`register-face`: image, encoding and
 * consent) as a job on the queue: persisted (sealed, it holds a face) before the first attempt,
 * kept while offline, retried with backoff, and `failed` with HotelMate's reason when refused.
 */
import { z } from 'zod';
import type { HotelMateClient } from '../hotelmate/client';
import { type Logger, toLogFormat } from '../logging/logger';
import { NOT_CONNECTED, apiFailureOutcome } from './hotelmate-outcome';
import { type JobQueue, staffIdOfSubject, staffSubject } from './job-queue';

export const FACE_REGISTRATION_KIND = 'face.register';

const registrationSchema = z.object({
  staffId: z.number().int().positive(),
  encoding: z.array(z.number()).length(128),
  image: z.string().startsWith('data:image/'),
});

export type FaceRegistration = z.infer<typeof registrationSchema>;

export interface FaceRegistrar {
  /**
   * Queues the registration and tries it at once. Resolves registered when HotelMate has it, queued
   * when it waits (offline, or a transient error), neither when HotelMate refused it (the job stays
   * `failed` with the reason). Rejects only when it could not be queued.
   */
  register(staffId: number, descriptor: Float32Array, jpegDataUrl: string): Promise<{ registered: boolean; queued: boolean }>;
  /** Tries the queued registrations now; resolves with how many are still waiting. */
  retryPending(): Promise<number>;
  /** Staff ids with a registration still to do. */
  pending(): number[];
}

export interface FaceRegistrarOptions {
  jobs: JobQueue;
  /** The current HotelMate client, or null while the kiosk is not configured. */
  client: () => Pick<HotelMateClient, 'registerFace'> | null;
  logger: Logger;
  /** Called when a registration reaches HotelMate (the templates queued for it become registered). */
  onRegistered?: (staffId: number) => void;
}

/** Defines the registration job on the queue and returns the registrar. */
export function createFaceRegistrar(options: FaceRegistrarOptions): FaceRegistrar {
  const log = options.logger.child('enrol');
  const registrations = options.jobs.define<FaceRegistration>({
    kind: FACE_REGISTRATION_KIND,
    schema: registrationSchema,
    subject: (registration) => staffSubject(registration.staffId),
    sensitive: true,
    // A newer enrolment of the same person replaces one that is still waiting.
    replacesWaiting: true,
    async run(registration) {
      const client = options.client();
      if (!client) return NOT_CONNECTED;
      const outcome = await client.registerFace({ staff_id: registration.staffId, encoding: registration.encoding, image: registration.image, consent_given: true });
      if (!outcome.ok) return apiFailureOutcome(outcome, 'face registration');
      log.info('face registered with HotelMate', { staffId: registration.staffId });
      try {
        options.onRegistered?.(registration.staffId);
      } catch (error) {
        log.error('the registration reached HotelMate but could not be recorded on the templates', { staffId: registration.staffId, error: toLogFormat(error) });
      }
      return { status: 'done' };
    },
  });

  return {
    async register(staffId, descriptor, jpegDataUrl) {
      const report = await registrations.add({ staffId, encoding: Array.from(descriptor), image: jpegDataUrl });
      if (report.state === 'waiting') log.info('face registration queued until HotelMate takes it', { staffId, reason: report.error });
      return { registered: report.state === 'done', queued: report.state === 'waiting' };
    },
    retryPending: () => registrations.runWaiting(),
    pending: () => registrations.openSubjects().flatMap((subject) => staffIdOfSubject(subject) ?? []),
  };
}
