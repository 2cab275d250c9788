/**
 * "Clock without face" channels, open while the admin area is locked: the people to pick from, the
 * picked person's status re-read, whether a recognised face may approve, and the punch itself,
 * which carries the manager PIN or a manager's recognition and is refused (nothing written) unless
 * main accepts it.
 */
import { z } from 'zod';
import { MAX_PIN_DIGITS, MIN_LEGACY_PIN_DIGITS } from '../domain/admin';
import type { StaffListEntry } from '../domain/enrolment';
import { MANUAL_NOTE_MAX, type ManualApproverCheck, type ManualAttempt, type ManualPunchRequest, type ManualPunchResult } from '../domain/manual-punch';
import type { EffectiveStatus } from '../domain/types';
import { clockActionSchema } from './clock.contract';
import { request } from './define';

const manualPunchFields = z.object({
  attemptId: z.string().uuid().optional(),
  staffId: z.number().int().positive(),
  action: clockActionSchema,
  note: z.string().trim().max(MANUAL_NOTE_MAX).optional(),
});
const recognitionIdSchema = z.string().min(1).max(100);

/** Exactly one approval: the manager PIN, or the recognition of a manager's face (never both). */
const manualPunchSchema: z.ZodType<ManualPunchRequest> = z.union([
  manualPunchFields
    .extend({
      pin: z.string().regex(new RegExp(`^\\d{${MIN_LEGACY_PIN_DIGITS},${MAX_PIN_DIGITS}}$`), `PIN must be ${MIN_LEGACY_PIN_DIGITS} to ${MAX_PIN_DIGITS} digits`),
    })
    .strict(),
  manualPunchFields.extend({ approverRecognitionId: recognitionIdSchema }).strict(),
]);

export const manualPunchRequests = {
  /** "Clock without face" was tapped: main keeps the face in view now (if any) for this attempt's punch. */
  'manual:begin': request<ManualAttempt>()(z.tuple([])),
  /** Active staff to pick from (names and departments only; `enrolled` says whether the kiosk has their face). */
  'manual:staff': request<StaffListEntry[]>()(z.tuple([])),
  /** The picked person's status, re-read from HotelMate while online (as for a greeting). */
  'manual:status': request<EffectiveStatus>()(z.tuple([z.number().int().positive()])),
  /**
   * Whether the face the camera recognised (its recognition id) may approve the punch of the person
   * picked (staff id): the manager's name for "Approve as <name>", or why not. Uses nothing up.
   */
  'manual:approver': request<ManualApproverCheck>()(z.tuple([recognitionIdSchema, z.number().int().positive()])),
  /** The punch, approved with the manager PIN or a manager's recognised face; saved before it resolves. */
  'manual:punch': request<ManualPunchResult>()(z.tuple([manualPunchSchema])),
};
