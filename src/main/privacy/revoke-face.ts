/**
 * Revoking a staff member's face: their templates (and audit snapshots) leave this kiosk at once, and HotelMate is told to
 * deactivate the face too, as a job on the queue: persisted first, kept while offline and retried,
 * so going offline never keeps a face alive on the server. The revocation runs after any
 * registration of the same person queued before it.
 */
import { z } from 'zod';
import type { HotelMateClient } from '../hotelmate/client';
import type { TemplateStore } from '../face/template-store';
import { NOT_CONNECTED, apiFailureOutcome } from '../jobs/hotelmate-outcome';
import { JobError, type JobQueue, staffIdOfSubject, staffSubject } from '../jobs/job-queue';
import type { AuditSnapshots } from '../ledger/audit-snapshots';
import type { Logger } from '../logging/logger';

/** What the server said: revoked, or it had no active face for the person (both are final). */
export type ServerRevokeOutcome = 'revoked' | 'not_registered';

export const FACE_REVOCATION_KIND = 'face.revoke';

const revocationSchema = z.object({ staffId: z.number().int().positive() });

export interface RevokeFaceOptions {
  jobs: JobQueue;
  logger: Logger;
  templates: Pick<TemplateStore, 'remove' | 'list'>;
  /** The person's audit snapshots (pictures of their face) go with their templates. */
  snapshots?: Pick<AuditSnapshots, 'forgetStaff'>;
  /**
   * Asks HotelMate to revoke the person's face (`face-management/revoke-face`). Resolves with the
   * outcome; rejects when it did not happen (a JobError says whether to pause, retry or give up;
   * anything else is retried). `revokeOnHotelMate` builds it from the client.
   */
  revokeOnServer: (staffId: number) => Promise<ServerRevokeOutcome>;
}

export interface RevokeFaceResult {
  staffId: number;
  /** Templates deleted on this kiosk. */
  localTemplatesRemoved: number;
  server: ServerRevokeOutcome | 'queued';
}

export interface FaceRevoker {
  /** Deletes locally (always), then revokes on the server or queues it. Never rejects for a network problem. */
  revoke(staffId: number): Promise<RevokeFaceResult>;
  /** Retries queued server revocations (call after a reconnect). Resolves with how many are still pending. */
  retryPending(): Promise<number>;
  /** Staff ids whose server revocation is still to do. */
  pending(): number[];
}

/** `revokeOnServer` over the HotelMate client (null while the kiosk is not configured). */
export function revokeOnHotelMate(client: () => Pick<HotelMateClient, 'revokeFace'> | null): (staffId: number) => Promise<ServerRevokeOutcome> {
  return async (staffId) => {
    const api = client();
    if (!api) throw new JobError(NOT_CONNECTED);
    const outcome = await api.revokeFace({ staff_id: staffId, reason: 'Revoked at the kiosk by a manager' });
    if (outcome.ok) return 'revoked';
    if (outcome.kind === 'http' && outcome.status === 400) return 'not_registered';
    throw new JobError(apiFailureOutcome(outcome, 'face revocation'));
  };
}

/** Defines the revocation job on the queue and returns the revoker. */
export function createFaceRevoker(options: RevokeFaceOptions): FaceRevoker {
  const log = options.logger.child('privacy');
  const revocations = options.jobs.define({
    kind: FACE_REVOCATION_KIND,
    schema: revocationSchema,
    subject: (revocation) => staffSubject(revocation.staffId),
    sensitive: false,
    // Revoking the same person twice while offline needs only one request.
    replacesWaiting: true,
    async run(revocation) {
      const outcome = await options.revokeOnServer(revocation.staffId);
      log.info('face revoked on HotelMate', { staffId: revocation.staffId, outcome });
      return { status: 'done', detail: outcome };
    },
  });

  return {
    async revoke(staffId) {
      const before = options.templates.list().find((p) => p.staffId === staffId)?.templates ?? 0;
      options.templates.remove(staffId);
      const snapshots = options.snapshots?.forgetStaff(staffId) ?? 0;
      log.info('face templates deleted on this kiosk', { staffId, templates: before, snapshots });
      const report = await revocations.add({ staffId });
      if (report.state !== 'done') {
        log.warn('could not revoke the face on HotelMate yet; queued', { staffId, state: report.state, reason: report.error });
        return { staffId, localTemplatesRemoved: before, server: 'queued' };
      }
      return { staffId, localTemplatesRemoved: before, server: report.detail === 'not_registered' ? 'not_registered' : 'revoked' };
    },
    retryPending: () => revocations.runWaiting(),
    pending: () => revocations.openSubjects().flatMap((subject) => staffIdOfSubject(subject) ?? []),
  };
}
