/**
 * What the ledger records as the server action of a punch HotelMate took without checking a face:
 * a "Clock without face" punch with no face to send (none was seen, or the one kept could not be
 * read back). The sync writes them (sync/decide-without-face.ts); a face seen during such a punch
 * is never adopted as a live template (face/live-templates.ts), since HotelMate never compared it
 * with the person picked.
 */
export const WITHOUT_FACE_ACTIONS = {
  /** The manual clock log was created (`POST clock-logs/`), or found from an attempt whose answer was lost. */
  created: 'manual_clock_log',
  /** HotelMate already showed the person on duty: synced without a write. */
  alreadyOnDuty: 'manual_already_on_duty',
} as const;

const WITHOUT_FACE = new Set<string>(Object.values(WITHOUT_FACE_ACTIONS));

/** Whether HotelMate took the punch without checking a face. Pure. */
export function takenWithoutFace(serverAction: string | null): boolean {
  return serverAction !== null && WITHOUT_FACE.has(serverAction);
}
