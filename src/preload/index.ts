/**
 * The preload: exposes exactly one object, `window.kiosk`, shaped by the shared contract. Requests
 * and state reads go through one invoke channel (main validates channel and arguments); events and
 * state changes arrive on one channel and are fanned out here to per-channel listeners, each
 * subscription returning its unsubscribe function.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventChannel, KioskApi } from '../shared/ipc/contract';
import { createListenerRegistry, type PayloadListener } from '../shared/ipc/listeners';
import { IPC_EVENT, IPC_INVOKE } from '../shared/ipc/names';

const listeners = createListenerRegistry();
ipcRenderer.on(IPC_EVENT, (_event: IpcRendererEvent, channel: string, payload: unknown) => listeners.emit(channel, payload));

const kiosk: KioskApi = {
  invoke: (channel, ...args) => ipcRenderer.invoke(IPC_INVOKE, channel, args),
  get: (channel) => ipcRenderer.invoke(IPC_INVOKE, channel, []),
  on: (channel: EventChannel, listener: (payload: never) => void) => listeners.add(channel, listener as PayloadListener),
};

contextBridge.exposeInMainWorld('kiosk', kiosk);
