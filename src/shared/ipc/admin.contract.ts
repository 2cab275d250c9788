/**
 * Admin channels, all behind the admin PIN except `admin:unlock`, `admin:setPin` (which checks for
 * itself) and the `admin:status` state. Main refuses every other admin request while the admin
 * session is locked.
 */
import { z } from 'zod';
import type { AdminStatus, ConfigFieldError, PublicConfig } from '../domain/admin';
import type { Diagnostics } from '../domain/diagnostics';
import type { ConsentText, EnrolledPerson, EnrolmentStep, LeaverRemoval, StaffListEntry } from '../domain/enrolment';
import type { LedgerRow, SyncState } from '../domain/ledger';
import type { Result } from '../domain/result';
import type { SignedInAccount, SignInErrorCode, SignInRequest } from '../domain/setup';
import { event, request, state } from './define';
import { setupWizardRequests } from './setup-wizard.contract';

const pinSchema = z.string().regex(/^\d{4,12}$/, 'PIN must be 4 to 12 digits');

const signInSchema: z.ZodType<SignInRequest> = z.object({
  apiBaseUrl: z.string().url().max(500),
  hotelSlug: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/),
  username: z.string().min(1).max(150),
  password: z.string().min(1).max(256),
});

const languageSchema = z.enum(['en', 'pl', 'es']);

const syncStateSchema: z.ZodType<SyncState> = z.enum(['pending', 'sending', 'synced', 'needs_review']);

export const adminRequests = {
  'admin:unlock': request<Result<{ status: AdminStatus }, 'wrong_pin' | 'locked_out' | 'no_pin'>>()(
    z.tuple([pinSchema]),
  ),
  'admin:lock': request<{ ok: true }>()(z.tuple([])),
  /** First setup (no PIN yet) or while unlocked. */
  'admin:setPin': request<Result<object, 'not_allowed'>>()(z.tuple([pinSchema])),
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
      }),
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
      }),
    ]),
  ),
  'ledger:exportCsv': request<{ csv: string }>()(z.tuple([])),
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
