/**
 * The one way to turn anything thrown into text: `errorMessage` for a short, user-facing or
 * result-value message, `toLogFormat` for a log line (name, errno code, message and a short stack).
 */

/** The message of anything thrown, without a stack: for result values and screens. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error, withoutBinary) ?? String(error);
  } catch {
    return String(error);
  }
}

/** A log-friendly rendering of anything thrown: `Name(CODE): message` and the first stack frames. */
export function toLogFormat(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    const stack = error.stack ? `\n${error.stack.split('\n').slice(1, 6).join('\n')}` : '';
    return `${error.name}${code ? `(${code})` : ''}: ${error.message}${stack}`;
  }
  return errorMessage(error);
}

/** The errno-style code of a thrown error (`ENOENT`, `SQLITE_FULL`...), if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Keeps pixels and embeddings out of messages: binary buffers and long number arrays become their size. */
function withoutBinary(_key: string, value: unknown): unknown {
  if (ArrayBuffer.isView(value)) return `[binary ${value.byteLength} bytes]`;
  if (Array.isArray(value) && value.length >= 16 && value.every((v) => typeof v === 'number')) return `[${value.length} numbers]`;
  return value;
}
