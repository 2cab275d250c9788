/**
 * Electron IPC wiring (shell only): one `ipcMain.handle` for every request of the contract, routed
 * through the validating router after checking the sender is our own window and page; events from
 * the hub forwarded to that window on one channel.
 */
import { type BrowserWindow, type IpcMainInvokeEvent, ipcMain } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from '../../shared/ipc/names';
import type { Logger } from '../logging/logger';
import type { EventHub } from '../channels/event-hub';
import type { IpcRouter } from '../channels/router';

export interface ElectronIpcOptions {
  router: IpcRouter;
  events: EventHub;
  logger: Logger;
  /** The kiosk window, or null while none exists. */
  window: () => BrowserWindow | null;
  /** True for URLs our renderer is loaded from (file:// of out/renderer, or the dev server). */
  isTrustedUrl: (url: string) => boolean;
}

export function registerElectronIpc(options: ElectronIpcOptions): () => void {
  const log = options.logger.child('ipc');
  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const win = options.window();
    const frameUrl = event.senderFrame?.url ?? '';
    return win !== null && event.sender.id === win.webContents.id && options.isTrustedUrl(frameUrl);
  };

  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, args: unknown) => {
    if (!isTrustedSender(event)) {
      log.warn('refused IPC from an untrusted sender', { url: event.senderFrame?.url?.slice(0, 200) });
      throw new Error('untrusted sender');
    }
    return options.router.dispatch(channel, args);
  });

  const unsubscribe = options.events.subscribe((channel, payload) => {
    const win = options.window();
    if (!win || win.isDestroyed() || win.webContents.isCrashed()) return;
    win.webContents.send(IPC_EVENT, channel, payload);
  });

  return () => {
    ipcMain.removeHandler(IPC_INVOKE);
    unsubscribe();
  };
}
