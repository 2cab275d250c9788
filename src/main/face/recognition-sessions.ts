/**
 * Recognition sessions: when the face service recognises someone, the screen gets an opaque id
 * instead of the match. A punch or "Not you?" refers to that id; the match (with its live
 * descriptor) never leaves main. A session lives a little longer than the greeting, then expires.
 */
import crypto from 'node:crypto';
import type { Clock } from '../lib/clock';
import type { FaceMatch } from './face-types';

/** A recognition stays usable a minute longer than the greeting shows it (a slow tap still counts). */
export function recognitionTtlMs(greetingTimeoutSeconds: number): number {
  return (greetingTimeoutSeconds + 60) * 1000;
}

export interface RecognitionSession {
  staffId: number;
  match: FaceMatch;
  /** Wall-clock epoch milliseconds after which the session is gone. */
  expiresAt: number;
}

export interface RecognitionSessions {
  /** Opens a session for a recognised match and returns its id; expired sessions are dropped first. */
  open(match: FaceMatch): string;
  /** The session for an id, or null when it is unknown, withdrawn or expired. */
  find(recognitionId: string): RecognitionSession | null;
  /** Withdraws a session ("Not you?"); returns it when it was still open. */
  withdraw(recognitionId: string): RecognitionSession | null;
  /** How many sessions are open (diagnostics and tests). */
  size(): number;
}

export interface RecognitionSessionsDeps {
  clock: Clock;
  /** How long a new session lives, read at each open (the greeting timeout can change at run time). */
  ttlMs: () => number;
  /** Id generator; random UUIDs unless a test needs predictable ones. */
  newId?: () => string;
}

export function createRecognitionSessions(deps: RecognitionSessionsDeps): RecognitionSessions {
  const sessions = new Map<string, RecognitionSession>();
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const now = (): number => deps.clock.now().getTime();

  const prune = (): void => {
    const at = now();
    for (const [id, session] of sessions) if (session.expiresAt < at) sessions.delete(id);
  };

  return {
    open(match) {
      prune();
      const id = newId();
      sessions.set(id, { staffId: match.staffId, match, expiresAt: now() + deps.ttlMs() });
      return id;
    },
    find(recognitionId) {
      prune();
      return sessions.get(recognitionId) ?? null;
    },
    withdraw(recognitionId) {
      const session = sessions.get(recognitionId) ?? null;
      sessions.delete(recognitionId);
      return session;
    },
    size: () => sessions.size,
  };
}
