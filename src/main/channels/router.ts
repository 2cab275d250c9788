/**
 * Dispatches renderer requests and state reads to main's handlers: refuses unknown channels,
 * refuses arguments that are not plain data (prototype keys, class instances, absurd nesting),
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

/**
 * Keys that address an object's prototype rather than its data. Never a field of the contract; a
 * schema that strips unknown keys would otherwise accept them silently, and one that passes a value
 * through (`z.unknown()`) would hand them on to a handler that copies or merges it.
 */
const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Deeper than any argument of the contract (a config patch is a few levels deep). */
const MAX_ARGUMENT_DEPTH = 16;

/** Where in the arguments (zod's path form: `0.note`) and why they were refused. */
export interface ArgumentProblem {
  path: readonly (string | number)[];
  reason: string;
}

/**
 * Where an argument stops being plain data as JSON would carry it (strings, numbers, booleans,
 * null, undefined, arrays, objects with the ordinary prototype or none), or null when it all is.
 * Electron's structured clone can deliver dates, maps, typed arrays and errors, and an object may
 * carry a prototype key as its own: the contract has no use for any of them.
 */
export function nonPlainArgument(value: unknown, path: readonly (string | number)[] = []): ArgumentProblem | null {
  if (value === null || value === undefined) return null;
  const type = typeof value;
  if (type === 'string' || type === 'number' || type === 'boolean') return null;
  if (type !== 'object') return { path, reason: `a ${type} is not data` };
  if (path.length >= MAX_ARGUMENT_DEPTH) return { path, reason: 'nested too deep' };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const found = nonPlainArgument(value[i] as unknown, [...path, i]);
      if (found) return found;
    }
    return null;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return { path, reason: 'not a plain object' };
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (PROTOTYPE_KEYS.has(key)) return { path: [...path, key], reason: 'prototype keys are not accepted' };
    const found = nonPlainArgument(child, [...path, key]);
    if (found) return found;
  }
  return null;
}

/** The arguments as the contract's schema reads them, or why they are refused. */
function parseArguments(channel: InvokeChannel, rawArgs: unknown): { ok: true; args: readonly unknown[] } | ({ ok: false } & ArgumentProblem) {
  const args = Array.isArray(rawArgs) ? rawArgs : [rawArgs];
  const impure = nonPlainArgument(args);
  if (impure) return { ok: false, ...impure };
  const schema: z.ZodType<readonly unknown[]> = isRequestChannel(channel) ? requestChannels[channel].args : noArguments;
  const parsed = schema.safeParse(args);
  if (parsed.success) return { ok: true, args: parsed.data };
  const issue = parsed.error.issues[0];
  return { ok: false, path: issue?.path.filter((key) => typeof key !== 'symbol') ?? [], reason: issue?.message ?? 'bad value' };
}

export function createIpcRouter(handlers: RequestHandlers, logger: Logger, isAllowed: AdminGate = () => true): IpcRouter {
  return {
    async dispatch(channel, rawArgs) {
      if (!isRequestChannel(channel) && !isStateChannel(channel)) {
        logger.warn('refused request on unknown channel', { channel: String(channel).slice(0, 100) });
        throw new IpcRequestError('unknown_channel', 'Unknown channel');
      }
      const parsed = parseArguments(channel, rawArgs);
      if (!parsed.ok) {
        // Both may quote what the page sent (a key name): kept short for the log and the screen.
        const where = (parsed.path.join('.') || 'arguments').slice(0, 100);
        const reason = parsed.reason.slice(0, 200);
        logger.warn('refused invalid arguments', { channel, where, reason });
        throw new IpcRequestError('invalid_arguments', `Invalid ${where}: ${reason}`);
      }
      if (!isAllowed(channel)) {
        throw new IpcRequestError('forbidden', 'The admin area is locked');
      }
      const handler = handlers[channel] as (...a: readonly unknown[]) => unknown;
      try {
        return await handler(...parsed.args);
      } catch (error) {
        logger.error('request handler failed', { channel, error: toLogFormat(error) });
        throw new IpcRequestError('handler_failed', HANDLER_FAILED_MESSAGE);
      }
    },
  };
}
