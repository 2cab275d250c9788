/**
 * The one typed emitter of main. Every service that announces changes holds one of these instead of
 * a hand-rolled listener set, so a listener that throws is isolated and logged the same way
 * everywhere: the other listeners still run and the emitting service never sees the error.
 */
import { toLogFormat } from './errors';

/** Listener registration that returns its own removal (fits React's useEffect and `off()` lists). */
export type Subscribe<T> = (listener: (value: T) => void) => () => void;

/** Where a failing listener is reported; a `Logger` fits. */
export interface ListenerErrorReporter {
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface Emitter<T> {
  emit(value: T): void;
  subscribe: Subscribe<T>;
  /** Number of current listeners (diagnostics and tests). */
  size(): number;
  clear(): void;
}

/** Creates an emitter; `name` identifies it in the log line written when a listener throws. */
export function createEmitter<T>(name: string, reporter: ListenerErrorReporter): Emitter<T> {
  const listeners = new Set<(value: T) => void>();
  return {
    emit(value) {
      for (const listener of [...listeners]) {
        try {
          listener(value);
        } catch (error) {
          reporter.error('listener failed', { emitter: name, error: toLogFormat(error) });
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    size: () => listeners.size,
    clear: () => listeners.clear(),
  };
}
