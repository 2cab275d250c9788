/**
 * Building blocks of the typed IPC contract. Three kinds of channel:
 * - a request pairs a zod schema for the renderer's arguments (validated in main before any handler
 *   runs) with the TypeScript type of its result;
 * - an event carries a payload type from main to the renderer;
 * - a state is a live value: one declaration gives both its getter (no arguments) and its change
 *   event under the same name, so the screens can never pair a getter with the wrong event.
 */
import type { z } from 'zod';

export interface RequestDef<Args extends readonly unknown[], Result> {
  readonly kind: 'request';
  readonly args: z.ZodType<Args>;
  /** Phantom field: carries the result type only. */
  readonly __result?: Result;
}

export interface EventDef<Payload> {
  readonly kind: 'event';
  readonly __payload?: Payload;
}

export interface StateDef<Value> {
  readonly kind: 'state';
  /** Phantom field: carries the value type only. */
  readonly __value?: Value;
}

/** `request<Result>()(z.tuple([...]))` declares a request channel. */
export function request<Result>() {
  return <Args extends readonly unknown[]>(args: z.ZodType<Args>): RequestDef<Args, Result> => ({
    kind: 'request',
    args,
  });
}

/** `event<Payload>()` declares a main -> renderer event channel. */
export function event<Payload>(): EventDef<Payload> {
  return { kind: 'event' };
}

/** `state<Value>()` declares a live value: read it with `get(name)`, follow it with `on(name)`. */
export function state<Value>(): StateDef<Value> {
  return { kind: 'state' };
}
