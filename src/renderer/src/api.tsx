/**
 * Access to `window.kiosk` for components: a React context (so tests pass a fake of the contract)
 * and small hooks for subscribing to event channels and following state channels.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventChannel, EventPayload, KioskApi, StateChannel, StateValue } from '../../shared/ipc/contract';

const KioskApiContext = createContext<KioskApi | null>(null);

/** Makes `api` available to every component below. */
export function KioskApiProvider(props: { api: KioskApi; children: ReactNode }): ReactNode {
  return <KioskApiContext.Provider value={props.api}>{props.children}</KioskApiContext.Provider>;
}

/** The kiosk API; throws when used outside KioskApiProvider (a programming error). */
export function useKiosk(): KioskApi {
  const api = useContext(KioskApiContext);
  if (!api) throw new Error('useKiosk() used outside <KioskApiProvider>');
  return api;
}

/** Subscribes to an event channel for the component's lifetime; the latest listener is always used. */
export function useKioskEvent<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): void {
  const api = useKiosk();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => api.on(channel, (payload) => latest.current(payload)), [api, channel]);
}

/**
 * Current value of a state channel: read once, then kept up to date by its change events. Null
 * until the first answer; a change that arrives before the read answers wins over the read. A
 * failed read leaves it null and is logged.
 */
export function useLiveValue<S extends StateChannel>(channel: S): StateValue<S> | null {
  const api = useKiosk();
  const [value, setValue] = useState<StateValue<S> | null>(null);
  useEffect(() => {
    let live = true;
    let changed = false;
    const off = api.on(channel, (next: StateValue<S>) => {
      changed = true;
      setValue(next);
    });
    api.get(channel).then(
      (current) => {
        if (live && !changed) setValue(current);
      },
      (error: unknown) => reportError(api, `${channel} failed`, error),
    );
    return () => {
      live = false;
      off();
    };
  }, [api, channel]);
  return value;
}

/** The readable text of anything thrown (an IPC rejection is an Error; anything else is stringified). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Forwards a renderer-side problem to main's log (never throws). */
export function reportError(api: KioskApi, message: string, error?: unknown, level: 'error' | 'warn' | 'info' = 'warn'): void {
  const detail = error instanceof Error ? error.message : error === undefined ? '' : String(error);
  const stack = error instanceof Error && error.stack ? error.stack.slice(0, 16000) : undefined;
  const text = (detail ? `${message}: ${detail}` : message).slice(0, 4000);
  api.invoke('log:renderer', { level, message: text, ...(stack ? { stack } : {}) }).catch(() => {
    /* the log channel itself is down: nothing more to do */
  });
}
