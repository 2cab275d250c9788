/**
 * Dispatches renderer requests and state reads to main's handlers: refuses unknown channels,
 * validates every argument against the contract's zod schema, asks the admin gate, and turns a
 * handler's failure into a stable rejection that names only its code (the detail goes to the log,
 * never to the renderer). Used by both the Electron IPC wiring and the dev/test WebSocket bridge,
 * so the two behave alike.
 */
import { z } from 'zod';
import {
  type InvokeChannel,
  type RequestHandlers,
  isRequestChannel,
  isStateChannel,
  requestChannels,
} from '../../shared/ipc/contract';
import { toLogFormat } from '../lib/errors';
import type { Logger } from '../logging/logger';

export type IpcErrorCode = 'unknown_channel' | 'invalid_arguments' | 'handler_failed' | 'forbidden';

/** A refused or failed request. Its message is safe to show: it never carries a handler's error text. */
export class IpcRequestError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcRequestError';
  }
}

/** The renderer's message for a handler that threw; what went wrong is only in the kiosk's log. */
export const HANDLER_FAILED_MESSAGE = 'The kiosk could not complete this request (handler_failed)';

export interface IpcRouter {
  /** Resolves the handler's result; rejects with an IpcRequestError. */
  dispatch(channel: unknown, args: unknown): Promise<unknown>;
}

/** May this channel run right now? The admin session refuses admin channels while it is locked. */
export type AdminGate = (channel: InvokeChannel) => boolean;

const noArguments = z.tuple([]);

export function createIpcRouter(handlers: RequestHandlers, logger: Logger, isAllowed: AdminGate = () => true): IpcRouter {
  return {
    async dispatch(channel, rawArgs) {
      if (!isRequestChannel(channel) && !isStateChannel(channel)) {
        logger.warn('refused request on unknown channel', { channel: String(channel).slice(0, 100) });
        throw new IpcRequestError('unknown_channel', 'Unknown channel');
      }
      const schema: z.ZodType<readonly unknown[]> = isRequestChannel(channel) ? requestChannels[channel].args : noArguments;
      const parsed = schema.safeParse(Array.isArray(rawArgs) ? rawArgs : [rawArgs]);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue?.path.join('.') || 'arguments';
        logger.warn('refused invalid arguments', { channel, where, reason: issue?.message });
        throw new IpcRequestError('invalid_arguments', `Invalid ${where}: ${issue?.message ?? 'bad value'}`);
      }
      if (!isAllowed(channel)) {
        throw new IpcRequestError('forbidden', 'The admin area is locked');
      }
      const handler = handlers[channel] as (...a: readonly unknown[]) => unknown;
      try {
        return await handler(...parsed.data);
      } catch (error) {
        logger.error('request handler failed', { channel, error: toLogFormat(error) });
        throw new IpcRequestError('handler_failed', HANDLER_FAILED_MESSAGE);
      }
    },
  };
}
