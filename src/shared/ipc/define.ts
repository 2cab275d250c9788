/**
 * Building blocks of the typed IPC contract: a request channel pairs a zod schema for the renderer's
 * arguments (validated in main before any handler runs) with the TypeScript type of its result; an
 * event channel carries a payload type from main to the renderer.
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

/** Errors cross the boundary as values: every fallible request resolves to one of these. */
export type Result<T, E extends string = string> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: E; message: string; field?: string } };
