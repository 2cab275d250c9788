/**
 * The seams between main's capabilities. Each capability folder implements one of these as a
 * plain Node module that takes its dependencies; the composition (kiosk-core.ts) wires them
 * together and to the IPC contract. Nothing here imports electron.
 */
import type {
  CameraDevice,
  CameraStatus,
  ClockAction,
  ConnectionState,
  DutyStatus,
  EffectiveStatus,
  FaceObservation,
  OnDutyBoard,
  RealtimeState,
  ShiftSummary,
  StaffSummary,
} from '../../shared/domain/types';
import type { EnrolledPerson, EnrolmentStep, LedgerRow, StaffListEntry } from '../../shared/ipc/admin.contract';
import type { PunchResult } from '../../shared/ipc/clock.contract';

import type { Subscribe } from '../lib/emitter';

export type { Subscribe } from '../lib/emitter';
export { type Clock, systemClock } from '../lib/clock';

// ---------------------------------------------------------------- camera (src/main/camera)

/** One full-size frame from the camera. Never logged, never sent to the renderer as is. */
export interface CameraFrame {
  seq: number;
  width: number;
  height: number;
  /** Tightly packed RGB24, width*height*3 bytes. */
  rgb: Uint8Array;
  /** Epoch ms when the frame was read from ffmpeg. */
  capturedAt: number;
}

export interface CameraService {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): CameraStatus;
  listDevices(): Promise<CameraDevice[]>;
  /** Switch device ('auto', a device id, or file:<path>); restarts the stream. */
  setDevice(device: string): Promise<void>;
  /** Apply a new device/size/rate; restarts the stream when anything changed. */
  setConfig(next: { device: string; width: number; height: number; fps: number }): Promise<void>;
  onFrame: Subscribe<CameraFrame>;
  onStatus: Subscribe<CameraStatus>;
}

// ---------------------------------------------------------------- face (src/main/face)

export interface FaceMatch {
  staffId: number;
  /** Euclidean distance of the live descriptor to the person's best template. */
  distance: number;
  secondBestDistance: number | null;
  model: string;
  /** The live 128-d descriptor of the deciding frame (stays in main). */
  liveDescriptor: Float32Array;
  /** 0..1, higher = more likely a live face; null when anti-spoof is off/unavailable. */
  liveness: number | null;
  spoofSuspected: boolean;
}

export type FaceDecision =
  | { kind: 'recognised'; match: FaceMatch; at: number }
  | { kind: 'unknown'; reason: 'not_enrolled' | 'ambiguous' | 'poor_quality'; liveDescriptor: Float32Array | null; at: number }
  | { kind: 'gone'; at: number };

export interface FaceStats {
  analysedFps: number;
  /** Median ms per stage over the recent window (detect, landmarks, crop, descriptor, match...). */
  stageMs: Record<string, number>;
  decisions: number;
  workerRestarts: number;
  droppedFrames: number;
}

export interface TemplateStore {
  /** Enrolled people with template counts and consent. */
  list(): EnrolledPerson[];
  /** Deletes every template and the consent record of a person. */
  remove(staffId: number): void;
  /** The template this kiosk registered with HotelMate for the person, to send when syncing. */
  registeredTemplate(staffId: number): Float32Array | null;
  /** Add a live template (e.g. after the server identified someone enrolled only on the web app). */
  addTemplate(staffId: number, descriptor: Float32Array, source: string, quality: number): void;
  count(): number;
}

export interface EnrolmentService {
  start(staffId: number, consentText: string, recordedBy: string): EnrolmentStep;
  cancel(): EnrolmentStep;
  current(): EnrolmentStep;
  onProgress: Subscribe<EnrolmentStep>;
}

export interface FaceService {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Offer a frame; dropped (not queued) when the worker is busy. */
  submit(frame: CameraFrame): void;
  /** "Not you?": forget the current decision and require fresh agreement. */
  rejectCurrent(): void;
  onObservation: Subscribe<FaceObservation>;
  onDecision: Subscribe<FaceDecision>;
  stats(): FaceStats;
  templates: TemplateStore;
  enrolment: EnrolmentService;
}

// ---------------------------------------------------------------- clock (src/main/ledger + src/main/sync)

export interface PunchInput {
  staffId: number;
  action: ClockAction;
  reason?: string;
  /** The face decision that authorised this punch. */
  match: FaceMatch;
  /** Flag for manager review (e.g. suspected presentation attack). */
  flagged: boolean;
}

export interface ClockService {
  start(): Promise<void>;
  /** Stops syncing after the in-flight request, leaving pending punches for the next start. */
  stop(): Promise<void>;
  /** Durably appends the punch (SQLite, synchronous=FULL) before resolving; then nudges the sync. */
  punch(input: PunchInput): PunchResult;
  /**
   * Resolves true once the punch has reached HotelMate, false if it has not within timeoutMs (it
   * stays saved and syncs later). Lets the screen say "saved offline" truthfully.
   */
  confirmSynced(eventId: string, timeoutMs: number): Promise<boolean>;
  effectiveStatus(staffId: number): EffectiveStatus;
  onStatus: Subscribe<EffectiveStatus>;
  connection(): ConnectionState;
  onConnection: Subscribe<ConnectionState>;
  /** Records a status the server reported (API response, Pusher event, status read). */
  applyServerStatus(update: ServerStatusUpdate): void;
  /** Re-read statuses and reference data from the API (after a reconnect, or on a roster event). */
  catchUp(reason: string): Promise<void>;
  staff(staffId: number): StaffSummary | null;
  staffList(): StaffListEntry[];
  todayShift(staffId: number): ShiftSummary | null;
  board(): OnDutyBoard;
  onBoard: Subscribe<OnDutyBoard>;
  ledger(filter: { state?: LedgerRow['syncState']; limit: number }): LedgerRow[];
  /** Counts by sync state and the oldest unsynced punch, without reading the rows. */
  queueStats(): { pending: number; sending: number; needsReview: number; synced: number; oldestPendingAt: string | null };
  exportCsv(): string;
  /** Purge synced rows older than the retention; returns how many were removed. */
  purgeSynced(olderThanDays: number): number;
}

export interface ServerStatusUpdate {
  staffId: number;
  status: DutyStatus;
  breakStartedAt: string | null;
  /** Server-side time of the fact (event timestamp or response time), ISO. */
  observedAt: string;
  source: 'api' | 'realtime' | 'poll';
  /** Optional profile facts that came with the event. */
  name?: string;
  department?: string | null;
}

// ---------------------------------------------------------------- realtime (src/main/realtime)

export interface RealtimeService {
  start(): Promise<void>;
  stop(): Promise<void>;
  state(): RealtimeState;
  onState: Subscribe<RealtimeState>;
  stats(): { events: number; dropped: number; lastEventAt: string | null };
}
