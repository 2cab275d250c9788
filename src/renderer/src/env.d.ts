/** The one API the preload (or the dev/test bridge) gives the renderer. */
import type { KioskApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    kiosk: KioskApi;
  }
}

export {};
