/** "Not you?": the person withdraws the recognition; no punch can be made with it afterwards. */
import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../support/fake-clock';
import { createHandlerKit } from './handler-kit';

describe('face:rejectMatch ("Not you?")', () => {
  it('withdraws the recognition, asks the face service for fresh agreement, and logs who was rejected', async () => {
    const k = await createHandlerKit({ clock: createFakeClock() });
    const recognitionId = k.recognise(7);
    const other = k.recognise(8);

    expect(await k.handlers['face:rejectMatch'](recognitionId)).toEqual({ ok: true });

    expect(k.sessions.find(recognitionId)).toBeNull();
    expect(k.sessions.find(other)).not.toBeNull();
    const punch = await k.handlers['clock:punch']({ recognitionId, action: 'clock_in' });
    expect(punch).toMatchObject({ ok: false, error: { code: 'expired_recognition' } });
    const messages = k.logger.records.map((r) => r.message);
    expect(messages).toContain('current recognition rejected ("Not you?")');
    const rejected = k.logger.records.find((r) => r.message === 'recognition rejected by the person ("Not you?")');
    expect(rejected?.fields).toMatchObject({ staffId: 7, distance: 0.3 });
    expect(JSON.stringify(rejected?.fields)).not.toMatch(/liveDescriptor|0\.01/);
  });

  it('answers ok for a recognition that already expired, and still resets the face decision', async () => {
    const clock = createFakeClock();
    const k = await createHandlerKit({ clock });
    const recognitionId = k.recognise(7);
    clock.advance(10 * 60_000);
    expect(await k.handlers['face:rejectMatch'](recognitionId)).toEqual({ ok: true });
    expect(k.logger.records.some((r) => r.message === 'current recognition rejected ("Not you?")')).toBe(true);
    expect(k.sessions.find(recognitionId)).toBeNull();
  });
});
