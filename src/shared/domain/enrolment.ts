/** Staff enrolment: who can be enrolled, who is, the consent they gave, the steps of a capture in progress, and leavers. */
import type { Language } from './types';

/** A staff member in the admin's enrolment list. */
export interface StaffListEntry {
  id: number;
  name: string;
  department: string | null;
  enrolled: boolean;
}

/** A person with face templates on this kiosk. */
export interface EnrolledPerson {
  staffId: number;
  name: string;
  templates: number;
  consentAt: string | null;
  registeredWithServer: boolean;
  /** The language and version of the consent text the person agreed to (null for a text recorded before versions). */
  consentLanguage?: Language | null;
  consentVersion?: number | null;
}

/** A consent text as shown before enrolment and stored word for word with the person's templates. */
export interface ConsentText {
  language: Language;
  /** Raised whenever the wording changes in any language. */
  version: number;
  /** SHA-256 (hex) of the language and the text: what the screen showed is what main stores. */
  hash: string;
  text: string;
}

/** A face removed from this kiosk because HotelMate said the person left (for the managers' list). */
export interface LeaverRemoval {
  staffId: number;
  name: string | null;
  /** ISO time of the removal. */
  at: string;
  /** What told the kiosk: a live HotelMate event, or the staff list (inactive). */
  source: 'realtime' | 'staff_list';
  reason: 'deactivated' | 'deleted';
  templatesRemoved: number;
  /** The face on HotelMate: revoked, none was active there, or the revocation is queued (offline). */
  server: 'revoked' | 'not_registered' | 'queued';
}

/** Progress of an enrolment, as the admin screen follows it. */
export type EnrolmentStep =
  | { state: 'idle' }
  | { state: 'capturing'; staffId: number; captured: number; needed: number; hint: string | null }
  | { state: 'done'; staffId: number; templates: number; registeredWithServer: boolean; queued: boolean }
  | { state: 'failed'; staffId: number; reason: string };
