/** What the admin area shows and edits: the PIN session's state and the config without its secrets. */
import type { Language } from './types';

/** Digits a new admin PIN needs at least (older kiosks' shorter PINs still unlock, and are asked to change). */
export const MIN_PIN_DIGITS = 6;
/** Digits a PIN may have at most. */
export const MAX_PIN_DIGITS = 12;
/** Digits an existing PIN may have to be entered (PINs set before MIN_PIN_DIGITS was 6). */
export const MIN_LEGACY_PIN_DIGITS = 4;

/** The admin PIN session as the screens see it. */
export interface AdminStatus {
  unlocked: boolean;
  /** A PIN protects the admin area (also when it is lost: the area then stays closed, it never opens without one). */
  pinSet: boolean;
  /** ISO time until which PIN entry is locked out after repeated failures, or null. */
  lockedUntil: string | null;
  attemptsLeft: number;
  /** The PIN last entered is shorter than MIN_PIN_DIGITS: the admin area asks the manager to change it (absent: no). */
  pinTooShort?: boolean;
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
  recognition: {
    threshold: number;
    margin: number;
    agreeFrames: number;
    /** The liveness mode (LIVENESS_MODES in shared/config/schema.ts). */
    liveness: 'off' | 'passive' | 'challenge_when_doubtful' | 'always_challenge';
    /** Keep an encrypted photo of the face with each punch, for managers. */
    auditSnapshots: boolean;
  };
  ui: { language: Language; showBoard: boolean; sound: boolean; highContrast: boolean };
  retention: { syncedDays: number };
}

/** A config value that was refused, by dotted field path. */
export interface ConfigFieldError {
  field: string;
  message: string;
}
