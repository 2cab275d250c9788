/** Errors cross boundaries as values: every fallible operation resolves to one of these instead of throwing. */

/** `{ ok: true, ...value }` or `{ ok: false, error: { code, message } }`, with the codes spelled out. */
export type Result<T, E extends string = string> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: E; message: string; field?: string } };
