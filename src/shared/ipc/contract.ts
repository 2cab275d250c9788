/**
 * The one IPC contract between main and the renderer: every request channel (renderer -> main,
 * arguments validated in main) and every event channel (main -> renderer). The Electron preload,
 * the dev/test WebSocket bridge and main's router are all derived from these maps.
 */
import type { EventDef, RequestDef } from './define';
import { adminEvents, adminRequests } from './admin.contract';
import { appEvents, appRequests } from './app.contract';
import { cameraEvents, cameraRequests } from './camera.contract';
import { clockEvents, clockRequests } from './clock.contract';
import { faceEvents, faceRequests } from './face.contract';

export const requestChannels = {
  ...appRequests,
  ...cameraRequests,
  ...faceRequests,
  ...clockRequests,
  ...adminRequests,
};

export const eventChannels = {
  ...appEvents,
  ...cameraEvents,
  ...faceEvents,
  ...clockEvents,
  ...adminEvents,
};

export type RequestChannels = typeof requestChannels;
export type EventChannels = typeof eventChannels;
export type RequestChannel = keyof RequestChannels;
export type EventChannel = keyof EventChannels;

export type RequestArgs<C extends RequestChannel> =
  RequestChannels[C] extends RequestDef<infer A, unknown> ? A : never;
export type RequestResult<C extends RequestChannel> =
  RequestChannels[C] extends RequestDef<readonly unknown[], infer R> ? R : never;
export type EventPayload<E extends EventChannel> =
  EventChannels[E] extends EventDef<infer P> ? P : never;

export const REQUEST_CHANNELS = Object.keys(requestChannels) as RequestChannel[];
export const EVENT_CHANNELS = Object.keys(eventChannels) as EventChannel[];

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestChannels, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventChannels, name);
}

/** The API the renderer sees as `window.kiosk`, identical in Electron and over the dev/test bridge. */
export interface KioskApi {
  invoke<C extends RequestChannel>(channel: C, ...args: RequestArgs<C>): Promise<RequestResult<C>>;
  /** Subscribe to an event channel; returns the unsubscribe function (fits React's useEffect). */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** Handlers main provides: one per request channel, receiving validated arguments. */
export type RequestHandlers = {
  [C in RequestChannel]: (...args: RequestArgs<C>) => Promise<RequestResult<C>> | RequestResult<C>;
};

/** Sink for main -> renderer events. */
export type EventSink = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

export { IPC_EVENT, IPC_INVOKE } from './names';
