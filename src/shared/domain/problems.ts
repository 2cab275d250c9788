/**
 * Problems the kiosk found with itself (a damaged file, a failed start, a failed backup) as the
 * screens show them: a code the renderer turns into a title and what to do in the reader's language,
 * whether it stops punching, and main's own English detail for support.
 */

/** Every problem the kiosk can report about itself. */
export type ProblemCode =
  /** kiosk.db is gone or empty although punches were saved: punching refused. */
  | 'database_missing'
  /** kiosk.db is not a database or SQLite found damage in it: punching refused. */
  | 'database_damaged'
  /** kiosk.db is another database than this kiosk's: punching refused. */
  | 'database_replaced'
  /** kiosk.db holds fewer punches than were saved (a lost WAL file, an older copy): punching refused. */
  | 'database_behind'
  /** kiosk.db was written by a newer kiosk version: punching refused until the software is updated. */
  | 'database_too_new'
  /** kiosk.db cannot be opened (permissions, I/O): punching refused. */
  | 'database_unavailable'
  /** The database was restored from a copy (notice, with the punches no copy held). */
  | 'database_restored'
  /** The face templates cannot be decrypted (the key in secrets.json is lost): nobody can be recognised. */
  | 'templates_unreadable'
  /** Some face templates are damaged (the others open): those people may not be recognised until they enrol again. */
  | 'templates_partly_unreadable'
  /** secrets.json was damaged and set aside: the kiosk account must sign in again. */
  | 'secrets_damaged'
  /** secrets.json cannot be read: nothing secret can be saved until it is fixed. */
  | 'secrets_unavailable'
  /** config.json was damaged: set aside, the kiosk runs on the last good copy (or the defaults). */
  | 'config_restored'
  /** config.json lost the admin PIN although the database has it: the database's copy is used. */
  | 'config_pin_restored'
  /** The settings could not be saved (a full disk, a read-only folder). */
  | 'config_not_saved'
  /** No admin PIN anywhere although the kiosk has data: the admin area stays closed. */
  | 'admin_pin_missing'
  /** The face models are missing or damaged: nobody can be recognised. */
  | 'face_models'
  /** The last database backup failed (the previous one is kept). */
  | 'backup_failed'
  /** The database's guard file could not be updated after a punch (a full disk): punches are saved, a later loss might go unnoticed. */
  | 'database_guard_not_saved'
  /** The kiosk could not finish starting. */
  | 'startup_failed'
  /** An unexpected error in the kiosk's main process (logged; the kiosk carries on). */
  | 'internal_error'
  /** Plain http:// to HotelMate on another machine (the lab flag): the token crosses the network unencrypted. */
  | 'insecure_api_url'
  /** Keys and the token are stored without the OS keyring (plain base64 in secrets.json). */
  | 'secrets_unprotected';

export interface KioskProblem {
  code: ProblemCode;
  /** True when the kiosk refuses punches because of it (the problem screen replaces the idle screen). */
  blocking: boolean;
  /** Main's English detail (file names, SQLite's words) for support; shown under "details". */
  detail: string;
  /** ISO time the kiosk found it. */
  at: string;
}

/** What a manager can do about a problem from the problem screen (after the PIN). */
export type ProblemAction =
  /** Bring kiosk.db back from the best copy (the backup or a set-aside copy), then restart. */
  | 'restore_backup'
  /** Set the unreadable face templates aside (staff enrol again), then restart. */
  | 'set_aside_unreadable_templates';

/** Which action helps with which problem. */
export const PROBLEM_ACTIONS: Partial<Record<ProblemCode, ProblemAction>> = {
  database_missing: 'restore_backup',
  database_damaged: 'restore_backup',
  database_replaced: 'restore_backup',
  database_behind: 'restore_backup',
  templates_unreadable: 'set_aside_unreadable_templates',
};
