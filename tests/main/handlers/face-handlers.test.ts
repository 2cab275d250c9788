/** "Not you?" and "Start again": the person withdraws a recognition (no punch can be made with it) or asks for a fresh decision about their face. */
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../support/fake-clock';
import { createHandlerKit } from './handler-kit';

describe('face:rejectMatch ("Not you?")', () => {
  it('withdraws the recognition, keeps that person from being named again while the face stays, and logs who was rejected', async () => {
    const clock = createFakeClock();
    const k = await createHandlerKit({ clock });
    const recognitionId = await k.recognise(7);

    expect(await k.handlers['face:rejectMatch'](recognitionId)).toEqual({ ok: true });

    expect(k.sessions.find(recognitionId)).toBeNull();
    const punch = await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' });
    expect(punch).toMatchObject({ ok: false, error: { code: 'unknown_recognition' } });
    // The same face stays in view: nobody is named again ...
    for (let i = 0; i < 10; i += 1) {
      clock.advance(66);
      await k.frames();
    }
    // (a recognition would have opened a session, as the kiosk's event wiring does)
    expect(k.sessions.size()).toBe(0);
    const rejected = k.logger.records.find((r) => r.message === 'recognition rejected by the person ("Not you?")');
    expect(rejected?.fields).toMatchObject({ staffId: 7, onFaceInView: true });
    expect(typeof rejected?.fields?.distance).toBe('number');
    expect(JSON.stringify(rejected?.fields)).not.toMatch(/liveDescriptor|0\.6/);
    // ... until the person asks to start again.
    expect(k.handlers['face:startAgain']()).toEqual({ ok: true });
    const again = await k.recognise(7);
    expect(again).not.toBe(recognitionId);
    expect(k.sessions.find(again)?.staffId).toBe(7);
  });

  it('answers ok for a recognition that already expired, and leaves the face in view alone', async () => {
    const clock = createFakeClock();
    const k = await createHandlerKit({ clock });
    const recognitionId = await k.recognise(7);
    clock.advance(10 * 60_000);
    expect(await k.handlers['face:rejectMatch'](recognitionId)).toEqual({ ok: true });
    expect(k.logger.records.some((r) => r.message === 'recognition rejected by the person ("Not you?")')).toBe(false);
    expect(k.sessions.find(recognitionId)).toBeNull();
  });

  it('a "Not you?" ends with the face: the same person coming back after leaving is recognised again', async () => {
    const clock = createFakeClock();
    const k = await createHandlerKit({ clock });
    const first = await k.recognise(8);
    await k.handlers['face:rejectMatch'](first);
    k.faceInView(null);
    for (let i = 0; i < 10; i += 1) {
      clock.advance(66);
      await k.frames();
    }
    const back = await k.recognise(8);
    expect(k.sessions.find(back)?.staffId).toBe(8);
  });
});
