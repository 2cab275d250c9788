/** The liveness mode in the kiosk config: its default, and config files written with the older `recognition.antiSpoof` switch. */
import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig } from '../../../src/shared/config/schema';

/** Parses the default config with `recognition` replaced. */
function recognitionOf(recognition: unknown): ReturnType<typeof parseConfig> {
  return parseConfig({ ...defaultConfig(), recognition });
}

describe('recognition.liveness', () => {
  it('defaults to the passive check with a challenge when in doubt', () => {
    expect(defaultConfig().recognition.liveness).toBe('challenge_when_doubtful');
  });

  it('reads an old antiSpoof switch: true becomes the default mode, false becomes off', () => {
    expect(recognitionOf({ antiSpoof: true })).toMatchObject({ ok: true, config: { recognition: { liveness: 'challenge_when_doubtful' } } });
    expect(recognitionOf({ antiSpoof: false })).toMatchObject({ ok: true, config: { recognition: { liveness: 'off' } } });
    expect(recognitionOf({ antiSpoof: false, liveness: 'always_challenge' })).toMatchObject({ ok: true, config: { recognition: { liveness: 'always_challenge' } } });
  });

  it('refuses an unknown mode or a non-boolean antiSpoof with the field named', () => {
    const unknownMode = recognitionOf({ liveness: 'maybe' });
    expect(unknownMode.ok).toBe(false);
    expect(!unknownMode.ok && unknownMode.issues.map((i) => i.field)).toContain('recognition.liveness');
    const badSwitch = recognitionOf({ antiSpoof: 'yes' });
    expect(badSwitch.ok).toBe(false);
    expect(!badSwitch.ok && badSwitch.issues.map((i) => i.field)).toContain('recognition.antiSpoof');
  });
});
