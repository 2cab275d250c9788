/** App-wide channels: kiosk info, connection state, language, renderer log forwarding, leaving kiosk mode. */
import { z } from 'zod';
import type { ConnectionState, KioskInfo, Language } from '../domain/types';
import { event, request, state } from './define';

export const appRequests = {
  /** Staff may switch language on the idle screen; it is not persisted (admins set the default). */
  'app:setLanguage': request<{ ok: true }>()(z.tuple([z.enum(['en', 'pl', 'es'])])),
  /** Forward a renderer error to main's log file. */
  'log:renderer': request<void>()(
    z.tuple([
      z.object({
        level: z.enum(['error', 'warn', 'info']),
        message: z.string().max(4000),
        stack: z.string().max(16000).optional(),
      }).strict(),
    ]),
  ),
};

export const appStates = {
  /** Everything the renderer needs at start; changes with the config. */
  'app:info': state<KioskInfo>(),
  'app:connection': state<ConnectionState>(),
};

export const appEvents = {
  'app:language': event<Language>(),
};
