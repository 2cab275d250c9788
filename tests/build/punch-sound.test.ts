/**
 * The punch confirmation chime (resources/sounds/punch.wav): the committed file is exactly what
 * scripts/sounds/make-punch-sound.ts produces, the real ffmpeg decodes it as the short mono PCM
 * sound it claims to be, and it sounds like a chime: two rising tones, no click at either end,
 * loud enough to hear and never clipped.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELATIVE, createAppPaths } from '../../src/main/platform/paths';
import { PUNCH_CHIME, punchChimeWav } from '../../scripts/sounds/make-punch-sound';
import { repoRoot } from './builder-config';

const file = path.join(repoRoot, RELATIVE.punchSound);
const FFMPEG = createAppPaths({ isPackaged: false, appRoot: repoRoot, resourcesPath: '/unused', platform: process.platform }).ffmpegBinary;

/** Samples of a canonical 16-bit mono WAV. */
function samplesOf(wav: Buffer): Int16Array {
  const samples = new Int16Array((wav.length - 44) / 2);
  for (let i = 0; i < samples.length; i += 1) samples[i] = wav.readInt16LE(44 + i * 2);
  return samples;
}

/** Power of one frequency in a window (Goertzel), normalised by the window length. */
function power(samples: Int16Array, rate: number, hz: number, from: number, to: number): number {
  const start = Math.round(from * rate);
  const end = Math.round(to * rate);
  const k = 2 * Math.cos((2 * Math.PI * hz) / rate);
  let [s1, s2] = [0, 0];
  for (let i = start; i < end; i += 1) [s1, s2] = [(samples[i] as number) / 32768 + k * s1 - s2, s1];
  return (s1 * s1 + s2 * s2 - k * s1 * s2) / (end - start) ** 2;
}

describe('punch confirmation chime', () => {
  it('the committed file is reproducible from the script (npm run sounds:build)', () => {
    expect(fs.readFileSync(file).equals(punchChimeWav())).toBe(true);
  });

  it('ffmpeg reads it as a short 16-bit mono PCM sound peaking at -6 dBFS', () => {
    // ffmpeg reports on stderr
    const run = spawnSync(FFMPEG, ['-hide_banner', '-nostats', '-i', file, '-af', 'volumedetect', '-f', 'null', '-'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const text = run.stderr;
    expect(text).toMatch(/Audio: pcm_s16le .*22050 Hz, mono/);
    const duration = /Duration: 00:00:(\d+\.\d+)/.exec(text);
    expect(Number(duration?.[1])).toBeGreaterThan(0.3);
    expect(Number(duration?.[1])).toBeLessThan(0.8);
    expect(Number(/max_volume: (-?\d+\.\d) dB/.exec(text)?.[1])).toBeCloseTo(-6, 0);
  });

  it('two rising tones, silent at both ends (no click)', () => {
    const samples = samplesOf(fs.readFileSync(file));
    const rate = PUNCH_CHIME.sampleRate;
    const [low, high] = PUNCH_CHIME.tones.map((tone) => tone.hz) as [number, number];
    expect(high).toBeGreaterThan(low);
    // first 100 ms: the low tone dominates; 250-350 ms: the high one
    expect(power(samples, rate, low, 0.01, 0.11)).toBeGreaterThan(20 * power(samples, rate, high, 0.01, 0.11));
    expect(power(samples, rate, high, 0.25, 0.35)).toBeGreaterThan(20 * power(samples, rate, low, 0.25, 0.35));
    expect(Math.abs(samples[0] as number)).toBeLessThan(200);
    expect(Math.abs(samples[samples.length - 1] as number)).toBeLessThan(200);
  });
});
