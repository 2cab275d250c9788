/**
 * The one IPC contract between main and the renderer: every request channel (renderer -> main,
 * arguments validated in main), every state channel (a live value: read on request, pushed on
 * change) and every event channel (main -> renderer). The Electron preload, the dev/test bridge and
 * main's router are all derived from these maps. A channel name belongs to exactly one of them.
 */
import type { EventDef, RequestDef, StateDef } from './define';
import { adminEvents, adminRequests, adminStates } from './admin.contract';
import { appEvents, appRequests, appStates } from './app.contract';
import { cameraEvents, cameraRequests, cameraStates } from './camera.contract';
import { clockEvents, clockRequests, clockStates } from './clock.contract';
import { faceEvents, faceRequests } from './face.contract';
import { manualPunchRequests } from './manual-punch.contract';

export const requestChannels = {
  ...appRequests,
  ...cameraRequests,
  ...faceRequests,
  ...clockRequests,
  ...manualPunchRequests,
  ...adminRequests,
};

export const stateChannels = {
  ...appStates,
  ...cameraStates,
  ...clockStates,
  ...adminStates,
};

export const eventChannels = {
  ...appEvents,
  ...cameraEvents,
  ...faceEvents,
  ...clockEvents,
  ...adminEvents,
};

export type RequestChannels = typeof requestChannels;
export type StateChannels = typeof stateChannels;
export type RequestChannel = keyof RequestChannels;
export type StateChannel = keyof StateChannels;
/** Everything main pushes to the renderer: plain events and the change events of states. */
export type EventChannel = keyof typeof eventChannels | StateChannel;
/** Everything the renderer may ask main for: requests and state reads. */
export type InvokeChannel = RequestChannel | StateChannel;

export type RequestArgs<C extends RequestChannel> =
  RequestChannels[C] extends RequestDef<infer A, unknown> ? A : never;
export type RequestResult<C extends RequestChannel> =
  RequestChannels[C] extends RequestDef<readonly unknown[], infer R> ? R : never;
/** The payload of an event channel, or the value of a state channel (its change event carries the same). */
export type EventPayload<E extends EventChannel> = PayloadOf<(typeof eventChannels & StateChannels)[E]>;
export type StateValue<S extends StateChannel> = EventPayload<S>;
type PayloadOf<D> = D extends EventDef<infer P> ? P : D extends StateDef<infer V> ? V : never;

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestChannels, name);
}

export function isStateChannel(name: unknown): name is StateChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(stateChannels, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (Object.prototype.hasOwnProperty.call(eventChannels, name) || isStateChannel(name));
}

/** The API the renderer sees as `window.kiosk`, identical in Electron and over the dev/test bridge. */
export interface KioskApi {
  invoke<C extends RequestChannel>(channel: C, ...args: RequestArgs<C>): Promise<RequestResult<C>>;
  /** The current value of a state channel; its changes arrive through `on(channel)`. */
  get<S extends StateChannel>(channel: S): Promise<StateValue<S>>;
  /** Subscribe to an event or state channel; returns the unsubscribe function (fits React's useEffect). */
  on<E extends EventChannel>(channel: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** What main provides: a handler per request channel (validated arguments) and a reader per state. */
export type RequestHandlers = {
  [C in RequestChannel]: (...args: RequestArgs<C>) => Promise<RequestResult<C>> | RequestResult<C>;
} & {
  [S in StateChannel]: () => Promise<StateValue<S>> | StateValue<S>;
};

export { IPC_EVENT, IPC_INVOKE } from './names';
