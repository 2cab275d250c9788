/**
 * Timing marks for the benchmark: when a `face:recognised` event reached the renderer and when the
 * greeting was painted. The result lands in `document.body.dataset.greetingPaintMs` and a
 * `kiosk:greeting-painted` window event (detail: milliseconds), which bench/ reads through the page.
 */

let recognisedAt: number | null = null;

/** The `face:recognised` event has just arrived. */
export function markRecognisedReceived(): void {
  recognisedAt = performance.now();
}

/** The greeting has been committed to the DOM: measure once the next frame has been painted. */
export function markGreetingCommitted(): void {
  const start = recognisedAt;
  recognisedAt = null;
  if (start === null) return;
  const finish = (): void => {
    const ms = performance.now() - start;
    document.body.dataset.greetingPaintMs = ms.toFixed(1);
    window.dispatchEvent(new CustomEvent('kiosk:greeting-painted', { detail: ms }));
  };
  // rAF runs before the paint; a task queued from it runs after that frame is painted.
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(finish, 0));
  else setTimeout(finish, 0);
}

/** Names the bench and e2e tests use to find things on the page. */
export const SCREEN_DATASET_KEY = 'screen';
export const GREETING_TEST_ID = 'greeting';
