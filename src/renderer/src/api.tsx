/**
 * Access to `window.kiosk` for components: a React context (so tests pass a fake of the contract)
 * and small hooks for subscribing to event channels and loading request results.
 */
import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { EventChannel, EventPayload, KioskApi, RequestChannel, RequestResult } from '../../shared/ipc/contract';

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
 * Current value of a state that main reports both on request (`getChannel`) and by event
 * (`eventChannel`). Null until the first answer; a failed request leaves it null and logs.
 */
export function useLiveValue<C extends RequestChannel, E extends EventChannel>(
  getChannel: C,
  eventChannel: E,
): RequestResult<C> | EventPayload<E> | null {
  const api = useKiosk();
  const [value, setValue] = useState<RequestResult<C> | EventPayload<E> | null>(null);
  useEffect(() => {
    let live = true;
    let gotEvent = false;
    const off = api.on(eventChannel, (payload) => {
      gotEvent = true;
      setValue(payload);
    });
    (api.invoke as (channel: C) => Promise<RequestResult<C>>)(getChannel).then(
      (result) => {
        if (live && !gotEvent) setValue(result);
      },
      (error: unknown) => reportError(api, `${getChannel} failed`, error),
    );
    return () => {
      live = false;
      off();
    };
  }, [api, getChannel, eventChannel]);
  return value;
}

/** Forwards a renderer-side problem to main's log (never throws). */
/** The readable text of anything thrown (an IPC rejection is an Error; anything else is stringified). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function reportError(api: KioskApi, message: string, error?: unknown, level: 'error' | 'warn' | 'info' = 'warn'): void {
  const detail = error instanceof Error ? error.message : error === undefined ? '' : String(error);
  const stack = error instanceof Error && error.stack ? error.stack.slice(0, 16000) : undefined;
  const text = (detail ? `${message}: ${detail}` : message).slice(0, 4000);
  api.invoke('log:renderer', { level, message: text, ...(stack ? { stack } : {}) }).catch(() => {
    /* the log channel itself is down: nothing more to do */
  });
}
