/** What the admin area shows and edits: the PIN session's state and the config without its secrets. */
import type { Language } from './types';

/** The admin PIN session as the screens see it. */
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
  ui: { language: Language; showBoard: boolean };
  retention: { syncedDays: number };
}

/** A config value that was refused, by dotted field path. */
export interface ConfigFieldError {
  field: string;
  message: string;
}
