/**
 * The preload: exposes exactly one object, `window.kiosk`, shaped by the shared contract. Requests go
 * through one invoke channel (main validates channel and arguments); events arrive on one channel and
 * are fanned out here to per-channel listeners, each subscription returning its unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventChannel, KioskApi } from '../shared/ipc/contract';
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc/names';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, channel: string, payload: unknown) => {
  const set = listeners.get(channel);
  if (!set) return;
  for (const listener of set) listener(payload);
});

const kiosk: KioskApi = {
  invoke: (channel, ...args) => ipcRenderer.invoke(IPC_INVOKE, channel, args),
  on(channel: EventChannel, listener: (payload: never) => void) {
    const set = listeners.get(channel) ?? new Set<Listener>();
    listeners.set(channel, set);
    set.add(listener as Listener);
    return () => {
      set.delete(listener as Listener);
    };
  },
};

contextBridge.exposeInMainWorld('kiosk', kiosk);
