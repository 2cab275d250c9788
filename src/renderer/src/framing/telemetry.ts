/**
 * MediaPipe Tasks Vision 1.x has no option to turn off its usage statistics: every task posts
 * them to Google (`https://odml.pa.googleapis.com/v1/log`) with `fetch`, once a minute and when
 * the task is closed. The renderer's CSP refuses that (no network), and each refusal is a console
 * error. This answers those requests here, without any network, with "204 No Content": the
 * library treats a non-200 answer as a failed upload and stops its logging timer for good.
 */

/** Where tasks-vision sends its statistics. */
export const MEDIAPIPE_TELEMETRY_ORIGIN = 'https://odml.pa.googleapis.com/';

const GUARDED = Symbol.for('hotelmate-kiosk.telemetry-guard');

type GuardedFetch = typeof fetch & { [GUARDED]?: true };

/** The URL a fetch() call asks for, whatever form it was given in. Pure. */
export function requestUrl(input: RequestInfo | URL): string {
  if (typeof input === 'string') return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * Wraps `target.fetch` (the page's by default) so MediaPipe's statistics never leave the page;
 * every other request goes through unchanged. Installing it twice changes nothing.
 */
export function blockMediapipeTelemetry(target: { fetch: typeof fetch } = globalThis): void {
  const original = target.fetch as GuardedFetch;
  if (typeof original !== 'function' || original[GUARDED]) return;
  const guarded: GuardedFetch = (input, init) => {
    if (requestUrl(input).startsWith(MEDIAPIPE_TELEMETRY_ORIGIN)) return Promise.resolve(new Response(null, { status: 204 }));
    return original.call(target, input, init);
  };
  guarded[GUARDED] = true;
  target.fetch = guarded;
}
