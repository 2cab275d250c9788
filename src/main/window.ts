/**
 * The kiosk window: full-screen kiosk mode without menus in production, sandboxed renderer with
 * context isolation, the preload from the path helper, kiosk shortcuts blocked, shown only once
 * painted, and closable only when the admin area asked to exit.
 */
import { BrowserWindow, Menu } from 'electron';
import type { Logger } from './logging/logger';
import type { AppPaths } from './platform/paths';
import { blockedShortcut } from './shell/policy';

export interface KioskWindowOptions {
  paths: AppPaths;
  logger: Logger;
  /** Packaged (or forced) production behaviour: kiosk, full screen, no devtools, shortcuts blocked. */
  production: boolean;
  /** electron-vite dev server (ELECTRON_RENDERER_URL); the built index.html otherwise. */
  devServerUrl?: string;
  /** May the window close now? (true only after the admin area's exit). */
  canClose: () => boolean;
}

/** Creates and loads the kiosk window. Resolves nothing; the window shows itself when ready. */
export function createKioskWindow(options: KioskWindowOptions): BrowserWindow {
  const log = options.logger.child('window');
  if (options.production) Menu.setApplicationMenu(null);
  const win = new BrowserWindow({
    show: false,
    width: 1280,
    height: 800,
    kiosk: options.production,
    fullscreen: options.production,
    frame: !options.production,
    autoHideMenuBar: true,
    backgroundColor: '#0c3d4a',
    icon: options.paths.icon,
    title: 'HotelMate Kiosk',
    webPreferences: {
      preload: options.paths.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: !options.production,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      // The clock and camera preview must keep running when the window is not focused.
      backgroundThrottling: false,
    },
  });
  win.setMenuBarVisibility(false);
  win.once('ready-to-show', () => {
    win.show();
    win.focus();
  });
  win.webContents.on('before-input-event', (event, input) => {
    const reason = blockedShortcut(input, options.production);
    if (reason) {
      event.preventDefault();
      log.info('shortcut blocked', { reason });
    }
  });
  win.on('close', (event) => {
    if (options.production && !options.canClose()) {
      event.preventDefault();
      log.warn('window close refused: exit only through the admin area');
    }
  });
  const load = options.devServerUrl ? win.loadURL(options.devServerUrl) : win.loadFile(options.paths.rendererIndexHtml);
  load.catch((error: unknown) => log.error('renderer failed to load', { error: error instanceof Error ? error.message : String(error) }));
  return win;
}
