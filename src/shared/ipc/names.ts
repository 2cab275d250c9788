/** The two Electron IPC channel names that carry the whole contract (kept free of zod for the preload). */
export const IPC_INVOKE = 'kiosk:invoke';
export const IPC_EVENT = 'kiosk:event';
