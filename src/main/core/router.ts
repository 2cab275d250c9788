/**
 * Dispatches renderer requests to main's handlers: refuses unknown channels, validates every
 * argument against the contract's zod schema, and turns thrown errors into a sanitised rejection.
 * Used by both the Electron IPC wiring and the dev/test WebSocket bridge, so the two behave alike.
 */
import {
  type EventChannel,
  type EventPayload,
  type RequestChannel,
  type RequestHandlers,
  isRequestChannel,
  requestChannels,
} from '../../shared/ipc/contract';
import { type Logger, toLogFormat } from '../logging/logger';

export class IpcRequestError extends Error {
  constructor(
    readonly code: 'unknown_channel' | 'invalid_arguments' | 'handler_failed' | 'forbidden',
    message: string,
  ) {
    super(message);
    this.name = 'IpcRequestError';
  }
}

export interface IpcRouter {
  dispatch(channel: unknown, args: unknown): Promise<unknown>;
}

/** Channels that may be used while the admin area is locked. All other admin:* etc. need a session. */
export type AdminGate = (channel: RequestChannel) => boolean;

export function createIpcRouter(handlers: RequestHandlers, logger: Logger, isAllowed: AdminGate = () => true): IpcRouter {
  return {
    async dispatch(channel, rawArgs) {
      if (!isRequestChannel(channel)) {
        logger.warn('refused request on unknown channel', { channel: String(channel).slice(0, 100) });
        throw new IpcRequestError('unknown_channel', `Unknown channel`);
      }
      const parsed = requestChannels[channel].args.safeParse(Array.isArray(rawArgs) ? rawArgs : [rawArgs]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.join('.') || 'arguments';
        logger.warn('refused invalid arguments', { channel, where, reason: issue?.message });
        throw new IpcRequestError('invalid_arguments', `Invalid ${where}: ${issue?.message ?? 'bad value'}`);
      }
      if (!isAllowed(channel)) {
        throw new IpcRequestError('forbidden', 'The admin area is locked');
      }
      const handler = handlers[channel] as (...a: unknown[]) => unknown;
      try {
        return await handler(...(parsed.data as unknown[]));
      } catch (error) {
        logger.error('request handler failed', { channel, error: toLogFormat(error) });
        throw new IpcRequestError('handler_failed', error instanceof Error ? error.message : 'Request failed');
      }
    },
  };
}

export type EventListener = <E extends EventChannel>(channel: E, payload: EventPayload<E>) => void;

/** Fan-out of main -> renderer events to every connected view (Electron window, bridge clients). */
export interface EventHub {
  emit<E extends EventChannel>(channel: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
  /** Last payload sent on a channel, so a view that connects late can catch up. */
  last<E extends EventChannel>(channel: E): EventPayload<E> | undefined;
}

export function createEventHub(logger: Logger): EventHub {
  const listeners = new Set<EventListener>();
  const lastByChannel = new Map<EventChannel, unknown>();
  return {
    emit(channel, payload) {
      if (channel !== 'camera:preview') lastByChannel.set(channel, payload);
      for (const listener of listeners) {
        try {
          listener(channel, payload);
        } catch (error) {
          logger.error('event listener failed', { channel, error: toLogFormat(error) });
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    last<E extends EventChannel>(channel: E) {
      return lastByChannel.get(channel) as EventPayload<E> | undefined;
    },
  };
}
