/// <reference types="vite/client" />
/**
 * The short chime that confirms a punch (resources/sounds/punch.wav, bundled by Vite as a file of
 * the app itself, so the CSP's 'self' allows it). One audio element is kept and rewound, so a
 * punch right after another still sounds. Muted by the config (ui.sound); a browser that refuses
 * to play (no audio device, autoplay policy) is ignored: the screen confirms the punch anyway.
 */
import punchSoundUrl from '../../../../resources/sounds/punch.wav?url';

let audio: HTMLAudioElement | null = null;
/** How many times the chime was started (for the end-to-end tests, which cannot listen). */
let played = 0;

/** Plays the punch chime once; never throws. */
export function playPunchSound(): void {
  try {
    audio ??= new Audio(punchSoundUrl);
    audio.currentTime = 0;
    played += 1;
    document.body.dataset.punchSounds = String(played);
    const started = audio.play();
    started.catch(() => undefined);
  } catch {
    // No audio on this kiosk: the visual confirmation stands on its own.
  }
}
