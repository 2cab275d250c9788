/** The texts the camera status shows to staff and managers, in one place so every part words them alike. */

export const NO_CAMERA_MESSAGE = 'No camera found. Plug in a USB camera or choose one in Admin > Setup.';

/** A configured camera that is not connected, with what is. */
export function notFoundMessage(device: string, available: string[]): string {
  const list = available.length > 0 ? ` Connected cameras: ${available.join(', ')}.` : '';
  return `Camera "${device}" was not found.${list} Plug it in or choose another in Admin > Setup.`;
}

/** "850 ms" or "2.5 s". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${Math.round(ms / 100) / 10} s`;
}

/** The first line of what was thrown (ffmpeg and spawn errors can run to many lines). */
export function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}
