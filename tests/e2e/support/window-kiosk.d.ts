/** Page-side code in e2e tests and benches sees the renderer's `window.kiosk`. */
import type { KioskApi } from '../../../src/shared/ipc/contract';

declare global {
  interface Window {
    kiosk: KioskApi;
  }
}

export {};
