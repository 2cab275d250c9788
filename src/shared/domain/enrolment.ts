/** Staff enrolment: who can be enrolled, who is, and the steps of a capture in progress. */

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
}

/** Progress of an enrolment, as the admin screen follows it. */
export type EnrolmentStep =
  | { state: 'idle' }
  | { state: 'capturing'; staffId: number; captured: number; needed: number; hint: string | null }
  | { state: 'done'; staffId: number; templates: number; registeredWithServer: boolean; queued: boolean }
  | { state: 'failed'; staffId: number; reason: string };
