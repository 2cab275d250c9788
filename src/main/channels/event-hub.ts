/**
 * Fan-out of main -> renderer events and state changes to every connected view (the Electron
 * window, bridge clients), remembering each channel's last payload so a view that connects late
 * can catch up. A failing view is isolated and logged by the shared emitter.
 */
import type { EventChannel, EventPayload } from '../../shared/ipc/contract';
import { createEmitter, type ListenerErrorReporter } from '../lib/emitter';

export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

export interface EventHub {
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
  /** Last payload sent on a channel (preview frames are not kept). */
  last<E extends EventChannel>(channel: E): EventPayload<E> | undefined;
}

/** One message on the hub: a channel with its payload. */
type HubMessage = { [E in EventChannel]: { channel: E; payload: EventPayload<E> } }[EventChannel];

/** Channels whose payloads are too large and too short-lived to keep. */
const NOT_REMEMBERED: ReadonlySet<EventChannel> = new Set<EventChannel>(['camera:preview']);

export function createEventHub(reporter: ListenerErrorReporter): EventHub {
  const messages = createEmitter<HubMessage>('event hub', reporter);
  const lastByChannel = new Map<EventChannel, unknown>();
  return {
    emit(channel, payload) {
      if (!NOT_REMEMBERED.has(channel)) lastByChannel.set(channel, payload);
      messages.emit({ channel, payload } as HubMessage);
    },
    subscribe(listener) {
      return messages.subscribe((message) => listener(message.channel, message.payload));
    },
    last<E extends EventChannel>(channel: E) {
      return lastByChannel.get(channel) as EventPayload<E> | undefined;
    },
  };
}
