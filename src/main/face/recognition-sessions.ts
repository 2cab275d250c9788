/**
 * Recognition sessions: when the face service recognises someone, the screen gets an opaque id
 * instead of the match. A punch or "Not you?" refers to that id; the match (with its live
 * descriptor) never leaves main. A session is bound to the face track it was made on and is
 * single-use: the first punch consumes it, the end of its track (the face left or was replaced)
 * closes it, a newer recognition on the same track replaces it, and it expires a little after the
 * greeting would have closed. Closed ids are remembered until then, so a refusal can say why.
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
  /** The face track the recognition was made on (face-track.ts). */
  trackId: number;
  /** Wall-clock epoch milliseconds after which the session is gone. */
  expiresAt: number;
}

/**
 * What an id refers to: an open session, or why it cannot be used: already used by a punch, its
 * face is no longer in front of the kiosk, withdrawn ("Not you?", or a newer recognition of the same
 * face), or unknown (never issued, or expired).
 */
export type SessionLookup =
  | { state: 'open'; session: RecognitionSession }
  | { state: 'used' | 'face_gone' | 'withdrawn' | 'unknown' };

export interface RecognitionSessions {
  /**
   * Opens a session for a match made on `trackId` and returns its id; an earlier open session of
   * the same track is withdrawn (one usable recognition per face). Expired sessions are dropped first.
   */
  open(match: FaceMatch, trackId: number): string;
  /** The open session for an id, or null when it is unknown, closed or expired. */
  find(recognitionId: string): RecognitionSession | null;
  /** The session for an id, or why it is not usable. */
  lookup(recognitionId: string): SessionLookup;
  /** Uses the session up (a punch was recorded with it); returns it when it was open. */
  consume(recognitionId: string): RecognitionSession | null;
  /** Withdraws a session ("Not you?"); returns it when it was still open. */
  withdraw(recognitionId: string): RecognitionSession | null;
  /**
   * The face track ended: its open sessions close. Returns the id of the latest recognition made
   * on the track (open or not), or null when none was.
   */
  endTrack(trackId: number): string | null;
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

type EntryState = 'open' | 'used' | 'face_gone' | 'withdrawn';

export function createRecognitionSessions(deps: RecognitionSessionsDeps): RecognitionSessions {
  /** Every session until it expires, in the order they were opened (a Map keeps insertion order). */
  const entries = new Map<string, { session: RecognitionSession; state: EntryState }>();
  const newId = deps.newId ?? (() => crypto.randomUUID());
  const now = (): number => deps.clock.now().getTime();

  const prune = (): void => {
    const at = now();
    for (const [id, entry] of entries) if (entry.session.expiresAt < at) entries.delete(id);
  };

  /** Moves an open session to `state`; returns it when it was open. */
  const close = (recognitionId: string, state: Exclude<EntryState, 'open'>): RecognitionSession | null => {
    prune();
    const entry = entries.get(recognitionId);
    if (!entry || entry.state !== 'open') return null;
    entry.state = state;
    return entry.session;
  };

  const lookup = (recognitionId: string): SessionLookup => {
    prune();
    const entry = entries.get(recognitionId);
    if (!entry) return { state: 'unknown' };
    return entry.state === 'open' ? { state: 'open', session: entry.session } : { state: entry.state };
  };

  return {
    open(match, trackId) {
      prune();
      for (const entry of entries.values()) if (entry.session.trackId === trackId && entry.state === 'open') entry.state = 'withdrawn';
      const id = newId();
      entries.set(id, { session: { staffId: match.staffId, match, trackId, expiresAt: now() + deps.ttlMs() }, state: 'open' });
      return id;
    },
    find(recognitionId) {
      const found = lookup(recognitionId);
      return found.state === 'open' ? found.session : null;
    },
    lookup,
    consume: (recognitionId) => close(recognitionId, 'used'),
    withdraw: (recognitionId) => close(recognitionId, 'withdrawn'),
    endTrack(trackId) {
      prune();
      let latest: string | null = null;
      for (const [id, entry] of entries) {
        if (entry.session.trackId !== trackId) continue;
        latest = id;
        if (entry.state === 'open') entry.state = 'face_gone';
      }
      return latest;
    },
    size: () => {
      let open = 0;
      for (const entry of entries.values()) if (entry.state === 'open') open += 1;
      return open;
    },
  };
}
