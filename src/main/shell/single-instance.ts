/** One kiosk per machine: a second launch (autostart plus a double-click) focuses the running one. */
import { app, type BrowserWindow } from 'electron';

/**
 * Takes the single-instance lock. Returns false when another instance holds it: the caller must
 * `app.quit()` at once. On a second launch the existing window is restored and focused.
 */
export function acquireSingleInstance(getWindow: () => BrowserWindow | null): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const win = getWindow();
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}
