/**
 * The consent a person gives before enrolment, recorded word for word with their templates
 * (`face_consents`), so the kiosk can show what exactly was agreed to.
 */

/** The consent text recorded with every enrolment made at this kiosk. */
export const CONSENT_TEXT =
  'I agree that this kiosk stores a mathematical template of my face, encrypted, on this device and registers it with HotelMate, only to record my working time. I can ask a manager to delete it at any time.';
