/** Recognition sessions: opaque ids bound to a face track, single-use, closed with their track, expiring a minute after the greeting. */
import { describe, expect, it } from 'vitest';
import { createRecognitionSessions, recognitionTtlMs } from '../../../src/main/face/recognition-sessions';
import type { FaceMatch } from '../../../src/main/face/face-types';
import { createFakeClock } from '../../support/fake-clock';

const match = (staffId: number): FaceMatch => ({
  staffId,
  distance: 0.31,
  secondBestDistance: 0.7,
  model: 'faceapi-128',
  liveDescriptor: new Float32Array(128),
  liveness: null,
  spoofSuspected: false,
});

describe('recognition sessions', () => {
  it('keeps a session for the greeting plus a minute, then forgets it', () => {
    const clock = createFakeClock();
    const sessions = createRecognitionSessions({ clock, ttlMs: () => recognitionTtlMs(15) });
    const id = sessions.open(match(7), 1);
    clock.advance(75_000);
    expect(sessions.find(id)).toMatchObject({ staffId: 7, trackId: 1 });
    clock.advance(1);
    expect(sessions.find(id)).toBeNull();
    expect(sessions.lookup(id)).toEqual({ state: 'unknown' });
    expect(sessions.size()).toBe(0);
  });

  it('gives every recognition its own id and withdraws one without touching the others', () => {
    const sessions = createRecognitionSessions({ clock: createFakeClock(), ttlMs: () => 60_000 });
    const a = sessions.open(match(7), 1);
    const b = sessions.open(match(7), 2);
    expect(a).not.toBe(b);
    expect(sessions.withdraw(a)?.match.distance).toBe(0.31);
    expect(sessions.withdraw(a)).toBeNull();
    expect(sessions.lookup(a)).toEqual({ state: 'withdrawn' });
    expect(sessions.find(b)?.staffId).toBe(7);
  });

  it('is single-use: consumed once, then it says it was used until it would have expired', () => {
    const clock = createFakeClock();
    const sessions = createRecognitionSessions({ clock, ttlMs: () => 60_000 });
    const id = sessions.open(match(7), 1);
    expect(sessions.consume(id)?.staffId).toBe(7);
    expect(sessions.consume(id)).toBeNull();
    expect(sessions.find(id)).toBeNull();
    expect(sessions.lookup(id)).toEqual({ state: 'used' });
    expect(sessions.withdraw(id)).toBeNull();
    expect(sessions.lookup(id)).toEqual({ state: 'used' });
    clock.advance(60_001);
    expect(sessions.lookup(id)).toEqual({ state: 'unknown' });
  });

  it('closes the sessions of a track when it ends and names its latest recognition, used or not', () => {
    const sessions = createRecognitionSessions({ clock: createFakeClock(), ttlMs: () => 60_000 });
    const first = sessions.open(match(7), 1);
    const other = sessions.open(match(8), 2);
    // A newer recognition on the same face withdraws the earlier one: one usable id per face.
    const second = sessions.open(match(7), 1);
    expect(sessions.lookup(first)).toEqual({ state: 'withdrawn' });
    expect(sessions.endTrack(1)).toBe(second);
    expect(sessions.lookup(second)).toEqual({ state: 'face_gone' });
    expect(sessions.find(other)?.staffId).toBe(8);
    sessions.consume(other);
    expect(sessions.endTrack(2)).toBe(other);
    expect(sessions.lookup(other)).toEqual({ state: 'used' });
    expect(sessions.endTrack(3)).toBeNull();
  });

  it('reads the lifetime at each open, so a changed greeting timeout applies to the next recognition', () => {
    const clock = createFakeClock();
    let greeting = 15;
    const sessions = createRecognitionSessions({ clock, ttlMs: () => recognitionTtlMs(greeting) });
    const short = sessions.open(match(1), 1);
    greeting = 120;
    const long = sessions.open(match(2), 2);
    clock.advance(100_000);
    expect(sessions.find(short)).toBeNull();
    expect(sessions.find(long)?.staffId).toBe(2);
  });
});
