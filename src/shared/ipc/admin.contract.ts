/**
 * Admin channels, all behind the admin PIN except `admin:unlock`, `admin:setPin` (which checks for
 * itself) and the `admin:status` state. Main refuses every other admin request while the admin
 * session is locked.
 */
import { z } from 'zod';
import { type AdminStatus, type ConfigFieldError, MAX_PIN_DIGITS, MIN_LEGACY_PIN_DIGITS, MIN_PIN_DIGITS, type PublicConfig } from '../domain/admin';
import type { Diagnostics } from '../domain/diagnostics';
import type { ConsentText, EnrolledPerson, EnrolmentStep, LeaverRemoval, StaffListEntry } from '../domain/enrolment';
import type { JobDiscardResult, JobRetryResult, QueuedJob, QueuedJobState } from '../domain/jobs';
import type { LedgerRetryResult, LedgerRow, SyncState } from '../domain/ledger';
import type { Result } from '../domain/result';
import type { ProblemAction } from '../domain/problems';
import type { SignedInAccount, SignInErrorCode, SignInRequest } from '../domain/setup';
import { event, request, state } from './define';
import { setupWizardRequests } from './setup-wizard.contract';

/** A PIN being entered: older kiosks' 4- and 5-digit PINs still unlock. */
const enteredPinSchema = z.string().regex(new RegExp(`^\\d{${MIN_LEGACY_PIN_DIGITS},${MAX_PIN_DIGITS}}$`), `PIN must be ${MIN_LEGACY_PIN_DIGITS} to ${MAX_PIN_DIGITS} digits`);
/** A new PIN: MIN_PIN_DIGITS or more. */
const newPinSchema = z.string().regex(new RegExp(`^\\d{${MIN_PIN_DIGITS},${MAX_PIN_DIGITS}}$`), `PIN must be ${MIN_PIN_DIGITS} to ${MAX_PIN_DIGITS} digits`);

const problemActionSchema: z.ZodType<ProblemAction> = z.enum(['restore_backup', 'set_aside_unreadable_templates']);

const signInSchema: z.ZodType<SignInRequest> = z.object({
  apiBaseUrl: z
    .string()
    .url()
    .max(500)
    .refine((url) => /^https?:\/\//i.test(url), 'must be an https:// URL'),
  hotelSlug: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/),
  username: z.string().min(1).max(150),
  password: z.string().min(1).max(256),
}).strict();

const languageSchema = z.enum(['en', 'pl', 'es']);

const syncStateSchema: z.ZodType<SyncState> = z.enum(['pending', 'sending', 'synced', 'needs_review', 'cancelled']);
const jobStateSchema: z.ZodType<QueuedJobState> = z.enum(['waiting', 'running', 'failed']);
/** Ledger event ids and job ids are UUIDs. */
const idSchema = z.string().uuid();

export const adminRequests = {
  'admin:unlock': request<Result<{ status: AdminStatus }, 'wrong_pin' | 'locked_out' | 'no_pin'>>()(
    z.tuple([enteredPinSchema]),
  ),
  'admin:lock': request<{ ok: true }>()(z.tuple([])),
  /** First setup (no PIN yet, no data) or while unlocked; MIN_PIN_DIGITS or more. */
  'admin:setPin': request<Result<object, 'not_allowed' | 'too_short'>>()(z.tuple([newPinSchema])),
  /** A manager's way out of a problem shown on the problem screen (restore the database...); the kiosk restarts after it. */
  'admin:resolveProblem': request<Result<{ restarting: boolean }, 'not_possible' | 'failed'>>()(z.tuple([problemActionSchema])),
  'config:get': request<PublicConfig>()(z.tuple([])),
  'config:update': request<
    { ok: true; config: PublicConfig } | { ok: false; errors: ConfigFieldError[] }
  >()(z.tuple([z.record(z.string(), z.unknown())])),
  /** Sign in with the kiosk account to obtain the API token (`POST /api/staff/login/`). */
  'setup:signIn': request<Result<SignedInAccount, SignInErrorCode>>()(z.tuple([signInSchema])),
  'staff:list': request<StaffListEntry[]>()(z.tuple([])),
  /** The consent text in a language, with its version and hash (shown before enrolment). */
  'enrol:consent': request<ConsentText>()(z.tuple([languageSchema])),
  /** Starts a capture; the consent named by language and hash must be the current text (it is stored). */
  'enrol:start': request<EnrolmentStep>()(
    z.tuple([
      z.object({
        staffId: z.number().int().positive(),
        consent: z.literal(true),
        consentLanguage: languageSchema,
        consentHash: z.string().regex(/^[0-9a-f]{64}$/),
      }).strict(),
    ]),
  ),
  'enrol:cancel': request<EnrolmentStep>()(z.tuple([])),
  'enrol:list': request<EnrolledPerson[]>()(z.tuple([])),
  'enrol:remove': request<{ ok: true }>()(z.tuple([z.number().int().positive()])),
  /** Faces removed because HotelMate said the person left, newest first. */
  'enrol:leavers': request<LeaverRemoval[]>()(z.tuple([])),
  'ledger:list': request<LedgerRow[]>()(
    z.tuple([
      z.object({
        state: syncStateSchema.optional(),
        limit: z.number().int().min(1).max(5000).default(200),
      }).strict(),
    ]),
  ),
  'ledger:exportCsv': request<{ csv: string }>()(z.tuple([])),
  /** A needs-review punch back in the queue (checked against HotelMate's state again); by event id. */
  'ledger:retry': request<LedgerRetryResult>()(z.tuple([idSchema])),
  /** The audit snapshot of a punch (a JPEG data URL, shown beside it; it never leaves the kiosk), or null; by event id. */
  'ledger:snapshot': request<{ dataUrl: string } | null>()(z.tuple([idSchema])),
  /** The outgoing jobs (face registrations and removals), newest first. */
  'jobs:list': request<QueuedJob[]>()(
    z.tuple([z.object({ state: jobStateSchema.optional(), limit: z.number().int().min(1).max(1000).default(200) }).strict()]),
  ),
  /** A failed job waiting again, with a fresh attempt count; by job id. */
  'jobs:retry': request<JobRetryResult>()(z.tuple([idSchema])),
  /** Deletes a job that is not running (its work is then never sent); by job id. */
  'jobs:discard': request<JobDiscardResult>()(z.tuple([idSchema])),
  'diagnostics:get': request<Diagnostics>()(z.tuple([])),
  'diagnostics:export': request<Result<{ path: string }, 'write_failed'>>()(
    z.tuple([z.string().min(1).max(1000)]),
  ),
  'app:forgetKiosk': request<{ ok: true }>()(z.tuple([z.literal('FORGET')])),
  'app:exit': request<{ ok: true }>()(z.tuple([])),
  ...setupWizardRequests,
};

export const adminStates = {
  'admin:status': state<AdminStatus>(),
};

export const adminEvents = {
  'enrol:progress': event<EnrolmentStep>(),
};
