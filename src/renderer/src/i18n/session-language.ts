/**
 * The language one person chose belongs to their visit: at the privacy reset (back to idle after a
 * greeting, punch, failure, unknown face or the manager screens) the kiosk returns to its default.
 */
import { useEffect, useRef } from 'react';
import type { KioskScreen } from '../state/kiosk-machine';

/** Screens that are part of waiting for the next person: moving between them resets nothing. */
const WAITING: ReadonlySet<KioskScreen> = new Set(['boot', 'idle', 'guidance']);

/** Calls `reset` whenever the kiosk comes back to idle from a person's visit. */
export function useLanguageResetOnIdle(screen: KioskScreen, reset: () => void): void {
  const previous = useRef(screen);
  const latestReset = useRef(reset);
  latestReset.current = reset;
  useEffect(() => {
    const from = previous.current;
    previous.current = screen;
    if (screen === 'idle' && !WAITING.has(from)) latestReset.current();
  }, [screen]);
}
