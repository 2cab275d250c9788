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
    const id = sessions.open(match(7));
    clock.advance(75_000);
    expect(sessions.find(id)?.staffId).toBe(7);
    clock.advance(1);
    expect(sessions.find(id)).toBeNull();
    expect(sessions.size()).toBe(0);
  });

  it('gives every recognition its own id and withdraws one without touching the others', () => {
    const sessions = createRecognitionSessions({ clock: createFakeClock(), ttlMs: () => 60_000 });
    const a = sessions.open(match(7));
    const b = sessions.open(match(7));
    expect(a).not.toBe(b);
    expect(sessions.withdraw(a)?.match.distance).toBe(0.31);
    expect(sessions.withdraw(a)).toBeNull();
    expect(sessions.find(b)?.staffId).toBe(7);
  });

  it('reads the lifetime at each open, so a changed greeting timeout applies to the next recognition', () => {
    const clock = createFakeClock();
    let greeting = 15;
    const sessions = createRecognitionSessions({ clock, ttlMs: () => recognitionTtlMs(greeting) });
    const short = sessions.open(match(1));
    greeting = 120;
    const long = sessions.open(match(2));
    clock.advance(100_000);
    expect(sessions.find(short)).toBeNull();
    expect(sessions.find(long)?.staffId).toBe(2);
  });
});
