import type { KioskProblem } from './problems';

/**
 * Domain types shared by main and renderer. Pure TypeScript: no electron, node or DOM imports.
 * These are the shapes that cross the IPC contract, so they hold plain data only (no class instances).
 */

/** The three duty states HotelMate knows (`Staff.duty_status`). */
export type DutyStatus = 'off_duty' | 'on_duty' | 'on_break';

/** The four punches a staff member can make at the kiosk. */
export type ClockAction = 'clock_in' | 'clock_out' | 'start_break' | 'end_break';

export const DUTY_STATUSES: readonly DutyStatus[] = ['off_duty', 'on_duty', 'on_break'];
export const CLOCK_ACTIONS: readonly ClockAction[] = ['clock_in', 'clock_out', 'start_break', 'end_break'];

/** Who a staff member is, as far as the screen needs to know. */
export interface StaffSummary {
  id: number;
  name: string;
  department: string | null;
  /** URL of a profile/face photo from HotelMate, or null. Only shown when online or cached by the browser. */
  photoUrl: string | null;
}

/** A roster shift for today, in the hotel's wall-clock times as HotelMate stores them. */
export interface ShiftSummary {
  id: number;
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM */
  start: string;
  /** HH:MM */
  end: string;
  department: string | null;
  location: string | null;
}

/**
 * What the screen shows for a person: the last status known from the server with the kiosk's own
 * pending punches applied on top, so a late server event never rolls the button back.
 */
export interface EffectiveStatus {
  staffId: number;
  status: DutyStatus;
  /** ISO time the current break started, when on a break and known. */
  breakStartedAt: string | null;
  /** How many of this person's punches are still waiting to reach HotelMate. */
  pendingPunches: number;
  /** ISO time of the newest fact this status is built from (server or local). */
  updatedAt: string | null;
  /**
   * ISO time the person's duty session began (their clock-in, as the kiosk knows it: its own punch,
   * else when HotelMate first reported them on duty), while on duty or on a break; else null. Absent means unknown.
   */
  onDutySince?: string | null;
  /**
   * How current the status is, when main re-read it for a greeting: absent on every other status
   * (a change pushed by main is as current as it gets).
   */
  freshness?: StatusFreshness;
}

/**
 * Whether a status shown on the greeting was just confirmed by HotelMate (`live`), or is the last
 * one the kiosk knew (`cached`: offline, or HotelMate did not answer within the time budget).
 */
export interface StatusFreshness {
  source: 'live' | 'cached';
  /** ISO time of the newest fact the status rests on (what "as of HH:MM" shows), or null when nothing is known. */
  asOf: string | null;
}

/** Guidance shown while a face is in view, produced by main's face quality gates. */
export type Guidance =
  | 'ok'
  | 'move_closer'
  | 'step_back'
  | 'center_face'
  | 'face_camera'
  | 'too_dark'
  | 'too_bright'
  | 'hold_still'
  | 'one_at_a_time';

/** A face box in normalised image coordinates (0..1). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One analysed frame, as the screen needs it (never an embedding or image). */
export interface FaceObservation {
  frameSeq: number;
  /** Boxes of all faces found, normalised; the main face first. */
  faces: FaceBox[];
  /** Whether the first box is the face the kiosk acts on. */
  hasMainFace: boolean;
  guidance: Guidance;
  /** True while the recogniser is gathering agreeing frames for a decision. */
  checking: boolean;
  /**
   * True when the face in view already had its decision (it was greeted, or not recognised) and
   * nothing more happens until it leaves or the person starts again. Absent means false.
   */
  settled?: boolean;
}

/** A positive identification: main is confident this is the person. */
export interface Recognition {
  /** Opaque id; punches refer to it so the renderer never handles a descriptor. */
  recognitionId: string;
  staff: StaffSummary;
  status: EffectiveStatus;
  shift: ShiftSummary | null;
  /** Euclidean distance to the best template (lower is better). */
  distance: number;
  /**
   * The liveness check left a doubt (a doubtful passive score, or a low one whose face then passed
   * the challenge): the punch is made and flagged for a manager's review.
   */
  spoofSuspected: boolean;
  recognisedAt: string;
}

/**
 * The face the kiosk was following is no longer in front of it: it left the frame, or another
 * face took its place. Whatever was recognised on it (`recognitionId`) can no longer be used.
 */
export interface FaceGone {
  reason: 'left' | 'replaced';
  /** The recognition made on that face, or null when it was never recognised. */
  recognitionId: string | null;
  at: string;
}

/**
 * The one action a liveness challenge asks for: a slight turn of the head to the person's own left
 * or right (a photo or a screen cannot turn its face's nose against its outline on cue).
 */
export type ChallengeAction = 'turn_left' | 'turn_right';

/**
 * Main asks the person in front of the kiosk for a small action before anyone's name is shown:
 * the passive liveness score of their face was in doubt (or the kiosk always asks). No name, no
 * staff id: the screen only shows the friendly prompt.
 */
export interface LivenessChallenge {
  action: ChallengeAction;
  /** 1 for the face's first challenge, 2 after one that did not pass ("Try again"), and so on. */
  attempt: number;
  /** How long the person has to do it, from `at`. */
  timeoutMs: number;
  at: string;
}

/**
 * Main could not confirm that a live person is in front of the kiosk: the challenge was not done in
 * time (or the passive check alone refused a photo or screen). No name was shown and nothing can be
 * punched. From the second failure of the same face on, the screen offers the manager.
 */
export interface LivenessFailure {
  /** How many times this face has not passed so far. */
  failures: number;
  /** True from the second failure on: the screen offers to call a manager. */
  managerFallback: boolean;
  at: string;
}

/** A face was in view long enough but did not match anyone enrolled. */
export interface UnknownFace {
  reason: 'not_enrolled' | 'ambiguous' | 'poor_quality';
  at: string;
}

export type ApiState = 'unconfigured' | 'online' | 'offline' | 'paused';
export type RealtimeState = 'disabled' | 'connecting' | 'connected' | 'unavailable' | 'offline';

/** Connection and queue state shown on the idle screen. */
export interface ConnectionState {
  api: ApiState;
  /** Human-readable reason when paused/offline (e.g. the server's 403 message). */
  apiMessage: string | null;
  realtime: RealtimeState;
  pendingPunches: number;
  needsReview: number;
  lastSyncAt: string | null;
}

export type CameraState = 'starting' | 'streaming' | 'unavailable' | 'no_device' | 'stopped';

export interface CameraStatus {
  state: CameraState;
  deviceId: string | null;
  deviceLabel: string | null;
  /** Readable explanation when not streaming. */
  message: string | null;
  /** Frames per second delivered over the last few seconds. */
  fps: number;
  restarts: number;
}

export interface CameraDevice {
  id: string;
  label: string;
  kind: 'v4l2' | 'dshow' | 'avfoundation' | 'file';
  formats: string[];
}

/** A downscaled RGB preview frame for the renderer's canvas. */
export interface PreviewFrame {
  seq: number;
  width: number;
  height: number;
  /** Tightly packed RGB24 pixels, width*height*3 bytes. */
  rgb: Uint8Array;
  /** Epoch milliseconds when main received the full frame from the camera. */
  capturedAt: number;
}

export interface BoardEntry {
  staffId: number;
  name: string;
  status: DutyStatus;
  /** ISO time the person's duty session began (clock-in; a break does not restart it), when known. */
  since: string | null;
}

/** Who is on duty / on break now, grouped by department. */
export interface OnDutyBoard {
  departments: { name: string; entries: BoardEntry[] }[];
  updatedAt: string | null;
}

export type Language = 'en' | 'pl' | 'es';
export const LANGUAGES: readonly Language[] = ['en', 'pl', 'es'];

/** What the renderer needs to know about the kiosk at start and after config changes. */
export interface KioskInfo {
  /** 'setup' while a setup reason or a blocking problem stops punching. */
  mode: 'setup' | 'kiosk';
  /** Readable reasons the kiosk is in setup mode (bad config field, missing token...). */
  setupReasons: string[];
  /** What the kiosk found wrong with itself (damaged files, failed start or backup); blocking ones stop punching. Absent means none. */
  problems?: KioskProblem[];
  hotelName: string;
  hotelSlug: string;
  timeZone: string;
  language: Language;
  showBoard: boolean;
  /** Play the punch sound (config ui.sound; on when absent). */
  sound?: boolean;
  /** Use the high-contrast theme (config ui.highContrast; off when absent). */
  highContrast?: boolean;
  /** Seconds the greeting stays before the privacy reset to idle (config ui.greetingTimeoutSeconds; 15 when absent). */
  greetingTimeoutSeconds?: number;
  kioskId: string;
  versions: Record<string, string>;
}

/** A duty status HotelMate reported (API response, Pusher event, status read), as main records it. */
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
