/**
 * Admin channels, all behind the admin PIN except `admin:unlock` and `admin:status`. Main refuses
 * every other admin request while the admin session is locked.
 */
import { z } from 'zod';
import type { CameraDevice, ClockAction } from '../domain/types';
import { type Result, event, request } from './define';

export interface AdminStatus {
  unlocked: boolean;
  pinSet: boolean;
  /** ISO time until which PIN entry is locked out after repeated failures, or null. */
  lockedUntil: string | null;
  attemptsLeft: number;
}

/** Config as the admin screens see it: never the token or PIN hash. */
export interface PublicConfig {
  hotel: { slug: string; name: string; timeZone: string };
  api: { baseUrl: string; hasToken: boolean; accountName: string | null };
  pusher: {
    enabled: boolean;
    key: string;
    cluster: string;
    host: string;
    port: number;
    useTLS: boolean;
  };
  camera: { device: string; width: number; height: number; fps: number };
  recognition: { threshold: number; margin: number; agreeFrames: number };
  ui: { language: 'en' | 'pl' | 'es'; showBoard: boolean };
  retention: { syncedDays: number };
}

export interface ConfigFieldError {
  field: string;
  message: string;
}

export interface LedgerRow {
  eventId: string;
  staffId: number;
  staffName: string | null;
  action: ClockAction;
  occurredAt: string;
  syncState: 'pending' | 'sending' | 'synced' | 'needs_review';
  attempts: number;
  lastError: string | null;
  syncedAt: string | null;
  /** Seconds between the punch and its arrival at HotelMate, once synced. */
  delaySeconds: number | null;
  flagged: boolean;
}

export interface EnrolledPerson {
  staffId: number;
  name: string;
  templates: number;
  consentAt: string | null;
  registeredWithServer: boolean;
}

export interface StaffListEntry {
  id: number;
  name: string;
  department: string | null;
  enrolled: boolean;
}

export type EnrolmentStep =
  | { state: 'idle' }
  | { state: 'capturing'; staffId: number; captured: number; needed: number; hint: string | null }
  | { state: 'done'; staffId: number; templates: number; registeredWithServer: boolean; queued: boolean }
  | { state: 'failed'; staffId: number; reason: string };

export interface Diagnostics {
  versions: Record<string, string>;
  camera: { state: string; fps: number; restarts: number; device: string | null };
  face: { analysedFps: number; stageMs: Record<string, number>; decisions: number; workerRestarts: number };
  queue: { pending: number; needsReview: number; synced: number; oldestPendingAt: string | null };
  sync: { api: string; lastSyncAt: string | null; lastError: string | null };
  realtime: { state: string; events: number; lastEventAt: string | null };
  health: { rendererRestarts: number; watchdogRestarts: number; uptimeSeconds: number };
  recentErrors: string[];
}

const pinSchema = z.string().regex(/^\d{4,12}$/, 'PIN must be 4 to 12 digits');

export const adminRequests = {
  'admin:status': request<AdminStatus>()(z.tuple([])),
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
  'setup:signIn': request<Result<{ accountName: string; hotelName: string }, 'bad_credentials' | 'unreachable' | 'wrong_hotel' | 'bad_response'>>()(
    z.tuple([
      z.object({
        apiBaseUrl: z.string().url().max(500),
        hotelSlug: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,99}$/),
        username: z.string().min(1).max(150),
        password: z.string().min(1).max(256),
      }),
    ]),
  ),
  'admin:cameras': request<CameraDevice[]>()(z.tuple([])),
  'staff:list': request<StaffListEntry[]>()(z.tuple([])),
  'enrol:start': request<EnrolmentStep>()(
    z.tuple([z.object({ staffId: z.number().int().positive(), consent: z.literal(true) })]),
  ),
  'enrol:cancel': request<EnrolmentStep>()(z.tuple([])),
  'enrol:list': request<EnrolledPerson[]>()(z.tuple([])),
  'enrol:remove': request<{ ok: true }>()(z.tuple([z.number().int().positive()])),
  'ledger:list': request<LedgerRow[]>()(
    z.tuple([
      z.object({
        state: z.enum(['pending', 'sending', 'synced', 'needs_review']).optional(),
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
};

export const adminEvents = {
  'admin:status': event<AdminStatus>(),
  'enrol:progress': event<EnrolmentStep>(),
};
