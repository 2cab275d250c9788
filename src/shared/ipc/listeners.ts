/** Per-channel listener sets for the renderer side of the contract (preload and dev/test bridge). */

export type PayloadListener = (payload: unknown) => void;

export interface ListenerRegistry {
  /** Adds a listener; returns its removal. */
  add(channel: string, listener: PayloadListener): () => void;
  emit(channel: string, payload: unknown): void;
}

export function createListenerRegistry(): ListenerRegistry {
  const byChannel = new Map<string, Set<PayloadListener>>();
  return {
    add(channel, listener) {
      const set = byChannel.get(channel) ?? new Set<PayloadListener>();
      byChannel.set(channel, set);
      set.add(listener);
      return () => {
        set.delete(listener);
      };
    },
    emit(channel, payload) {
      for (const listener of byChannel.get(channel) ?? []) listener(payload);
    },
  };
}
