/**
 * Writes resources/sounds/punch.wav, the short confirmation chime the kiosk plays when a punch is
 * saved: two rising bell tones (C6 then G6) synthesised here, so the file is reproducible byte for
 * byte from this script and carries no third-party licence. `npm run sounds:build` rewrites it;
 * tests/build/punch-sound.test.ts proves the committed file is this script's output.
 */
import fs from 'node:fs';
import path from 'node:path';

/** One bell tone: frequency, start and length in seconds. */
export interface Tone {
  hz: number;
  start: number;
  length: number;
}

/** The chime's recipe. */
export const PUNCH_CHIME = {
  sampleRate: 22050,
  /** Peak level as a fraction of full scale (0.5 = -6 dBFS): audible, never harsh or clipped. */
  peak: 0.5,
  tones: [
    { hz: 1046.5, start: 0, length: 0.2 },
    { hz: 1568, start: 0.12, length: 0.36 },
  ] satisfies Tone[],
} as const;

const ATTACK_SECONDS = 0.005;
const RELEASE_SECONDS = 0.02;
/** A bell's second partial, quieter than the fundamental. */
const OVERTONE = { ratio: 2, level: 0.25 };

/** The chime as 16-bit mono samples. Pure function of PUNCH_CHIME. */
export function synthesisePunchChime(): Int16Array {
  const { sampleRate, peak, tones } = PUNCH_CHIME;
  const seconds = Math.max(...tones.map((tone) => tone.start + tone.length));
  const mix = new Float64Array(Math.round(seconds * sampleRate));
  for (const tone of tones) {
    const first = Math.round(tone.start * sampleRate);
    const count = Math.round(tone.length * sampleRate);
    for (let i = 0; i < count && first + i < mix.length; i += 1) {
      const t = i / sampleRate;
      const attack = Math.min(1, t / ATTACK_SECONDS);
      const release = Math.min(1, (tone.length - t) / RELEASE_SECONDS);
      const decay = Math.exp((-4 * t) / tone.length);
      const phase = 2 * Math.PI * tone.hz * t;
      const wave = Math.sin(phase) + OVERTONE.level * Math.sin(OVERTONE.ratio * phase);
      mix[first + i] = (mix[first + i] as number) + attack * release * decay * wave;
    }
  }
  let loudest = 0;
  for (const value of mix) loudest = Math.max(loudest, Math.abs(value));
  const samples = new Int16Array(mix.length);
  for (let i = 0; i < mix.length; i += 1) samples[i] = Math.round(((mix[i] as number) / loudest) * peak * 32767);
  return samples;
}

/** A canonical 44-byte-header PCM WAV (mono, 16-bit little-endian). */
export function encodeWav(samples: Int16Array, sampleRate: number): Buffer {
  const data = samples.length * 2;
  const wav = Buffer.alloc(44 + data);
  wav.write('RIFF', 0, 'ascii');
  wav.writeUInt32LE(36 + data, 4);
  wav.write('WAVE', 8, 'ascii');
  wav.write('fmt ', 12, 'ascii');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(sampleRate, 24);
  wav.writeUInt32LE(sampleRate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'ascii');
  wav.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i += 1) wav.writeInt16LE(samples[i] as number, 44 + i * 2);
  return wav;
}

/** The bytes of resources/sounds/punch.wav. */
export function punchChimeWav(): Buffer {
  return encodeWav(synthesisePunchChime(), PUNCH_CHIME.sampleRate);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  const file = path.resolve(__dirname, '../../resources/sounds/punch.wav');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, punchChimeWav());
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
